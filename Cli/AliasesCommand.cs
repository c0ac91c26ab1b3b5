using System.CommandLine;
using System.Text.Json;
using Vdm.Gateway;
using Vdm.Gateway.Endpoints;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm aliases [--url URL] [--json]</c>: the aliases the gateway would offer, from the configuration, or from a
/// running server's <c>/v1/aliases</c>: a table of scope (<c>*</c> for global), alias and target, or that endpoint's JSON.
/// </summary>
internal static class AliasesCommand
{
    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var url = new Option<string?>("--url") { Description = "Ask a running vdm instead of reading the configuration", HelpName = "url" };
        var json = new Option<bool>("--json") { Description = "Print /v1/aliases's JSON" };
        var command = new Command("aliases", "List the smart aliases: from the configuration, or from a running vdm with --url") { url, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (_, result) = SettingsReader.Read(context, parseResult, envFile);
            AliasesResponse aliases;
            if (parseResult.GetValue(url) is { } serverUrl)
            {
                var (body, problem) = await RunningServer.GetAsync(serverUrl, "/v1/aliases", result.Settings, cancellationToken).ConfigureAwait(false);
                if (body is null || Parse(body) is not { } fetched)
                {
                    await context.Error.WriteLineAsync($"vdm: {problem ?? "the answer is not vdm's alias list"}").ConfigureAwait(false);
                    return ExitCodes.Failed;
                }

                aliases = fetched;
            }
            else if (result.Settings is { } settings)
            {
                aliases = AliasesEndpoint.Build(settings);
            }
            else
            {
                await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            await context.Output.WriteAsync(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(aliases, GatewayJsonContext.Default.AliasesResponse) + "\n"
                : Table(aliases)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static AliasesResponse? Parse(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, GatewayJsonContext.Default.AliasesResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Table(AliasesResponse aliases)
    {
        if (aliases.Total == 0)
        {
            return "no aliases (set VDM_ALIAS_NAME=provider:model, or {PROVIDER}_ALIAS_NAME=model)\n";
        }

        return TextTable.Render(
            ["SCOPE", "ALIAS", "TARGET"],
            [.. aliases.Aliases.SelectMany(group => group.Value.Select(alias => (IReadOnlyList<string>)[group.Key, alias.Key, alias.Value]))]);
    }
}
