using System.CommandLine;
using System.Text.Json;
using Vdm.Gateway;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Endpoints;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm models [--provider NAME] [--url URL] [--json]</c>: the models the gateway would offer. From the configuration:
/// each alias and what it leads to, or with <c>--provider</c> that provider's own list (asked with its first key). From a
/// running vdm with <c>--url</c>: its <c>/v1/models</c> (<c>?provider=NAME</c>). A table of model and detail, or OpenAI's
/// list JSON.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var provider = new Option<string?>("--provider") { Description = "List this provider's own models", HelpName = "name" };
        var url = new Option<string?>("--url") { Description = "Ask a running vdm instead of reading the configuration", HelpName = "url" };
        var json = new Option<bool>("--json") { Description = "Print the list as OpenAI's /v1/models JSON" };
        var command = new Command("models", "List the models clients can ask for: aliases, or a provider's own list") { provider, url, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (_, result) = SettingsReader.Read(context, parseResult, envFile);
            var providerName = parseResult.GetValue(provider);
            var (models, problem, exitCode) = parseResult.GetValue(url) is { } serverUrl
                ? await FromServerAsync(serverUrl, providerName, result.Settings, cancellationToken).ConfigureAwait(false)
                : result.Settings is not { } settings
                    ? (null, null, ExitCodes.InvalidConfiguration)
                    : providerName is null
                        ? (ModelsEndpoint.AliasModels(new GatewayState(settings, TimeProvider.System)), null, ExitCodes.Ok)
                        : await FromProviderAsync(settings, providerName, cancellationToken).ConfigureAwait(false);

            if (models is null)
            {
                if (problem is null)
                {
                    await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
                }
                else
                {
                    await context.Error.WriteLineAsync($"vdm: {problem}").ConfigureAwait(false);
                }

                return exitCode;
            }

            await context.Output.WriteAsync(parseResult.GetValue(json)
                ? JsonSerializer.Serialize(ModelList.ToOpenAI(models), GatewayJsonContext.Default.OpenAIModelList) + "\n"
                : Table(models)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<(List<ModelEntry>? Models, string? Problem, int ExitCode)> FromServerAsync(
        string url, string? provider, GatewaySettings? settings, CancellationToken cancellationToken)
    {
        var path = provider is null ? "/v1/models" : $"/v1/models?provider={Uri.EscapeDataString(provider)}";
        var (body, problem) = await RunningServer.GetAsync(url, path, settings, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, problem, ExitCodes.Failed);
        }

        // vdm's own list: its ids are already what a client sends.
        return ModelList.Read(body, provider: null) is { } models
            ? (models, null, ExitCodes.Ok)
            : (null, "the answer is not a model list", ExitCodes.Failed);
    }

    private static async Task<(List<ModelEntry>? Models, string? Problem, int ExitCode)> FromProviderAsync(
        GatewaySettings settings, string name, CancellationToken cancellationToken)
    {
        if (settings.FindProvider(name) is not { } provider)
        {
            var known = GatewaySettings.DescribeProviders(settings.Providers);
            return (null, $"no provider '{name}' ({known})", ExitCodes.InvalidConfiguration);
        }

        if (provider.Auth == ProviderAuth.Passthrough)
        {
            return (null, $"provider '{provider.Name}' uses each client's own key (!PASSTHRU); ask a running vdm with --url and your key", ExitCodes.Failed);
        }

        using var clients = new Gateway.Upstream.UpstreamClients(settings);
        var answer = await ProviderModelList.FetchAsync(clients, provider, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (answer.Body is null)
        {
            return (null, answer.HttpStatus is { } status
                ? $"provider '{provider.Name}' answered HTTP {status}: {answer.Problem}"
                : answer.Problem, ExitCodes.Failed);
        }

        return ModelList.Read(answer.Body, provider.Name) is { } models
            ? (models, null, ExitCodes.Ok)
            : (null, $"provider '{provider.Name}' answered something that is not a model list", ExitCodes.Failed);
    }

    private static string Table(List<ModelEntry> models)
    {
        if (models.Count == 0)
        {
            return "no models (no aliases are configured; list a provider's own with --provider NAME)\n";
        }

        return TextTable.Render(
            ["MODEL", "DETAIL"],
            [.. models.Select(model => (IReadOnlyList<string>)[model.Id, model.DisplayName != model.Id ? model.DisplayName : model.OwnedBy])]);
    }
}
