using System.CommandLine;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm config show|validate|env|setup</c>: what vdm would run with, whether that is valid, every variable, and an
/// interactive way to write <c>./.env</c>.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var show = new Command("show", "Print the effective configuration and where each value came from (keys as sha256 fingerprints)");
        show.SetAction(async (parseResult, _) =>
        {
            var (variables, result) = SettingsReader.Read(context, parseResult, envFile);
            await SettingsReader.ReportWarningsAsync(context, result).ConfigureAwait(false);
            if (result.Settings is not { } settings)
            {
                await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            await context.Output.WriteAsync(ConfigTable.Render(settings, variables)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var validate = new Command("validate", "Check the configuration: exit 0 when valid, 1 with the problems listed");
        validate.SetAction(async (parseResult, _) =>
        {
            var (_, result) = SettingsReader.Read(context, parseResult, envFile);
            foreach (var warning in result.Warnings)
            {
                await context.Output.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }

            if (result.Settings is not { } settings)
            {
                foreach (var error in result.Errors)
                {
                    await context.Output.WriteLineAsync("error: " + error).ConfigureAwait(false);
                }

                await context.Output.WriteLineAsync($"configuration is invalid: {result.Errors.Count} problem(s)").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var providers = settings.Providers.IsEmpty ? "no providers" : string.Join(", ", settings.Providers.Select(p => p.Name));
            await context.Output.WriteLineAsync(
                $"configuration is valid: {providers}; default provider: {settings.DefaultProvider ?? "none"}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var format = new Option<string>("--format")
        {
            Description = "env (the .env.example file) or markdown (the README table)",
            DefaultValueFactory = _ => "env",
        };
        format.AcceptOnlyFromAmong("env", "markdown");
        var env = new Command("env", "Print every variable vdm reads, with its default and meaning") { format };
        env.SetAction(async (parseResult, _) =>
        {
            var text = parseResult.GetValue(format) == "markdown" ? VariableDocs.RenderMarkdown() : VariableDocs.RenderEnvFile();
            await context.Output.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        return new Command("config", "Inspect, check and write the configuration") { show, validate, env, ConfigSetupCommand.Create(context, envFile) };
    }
}
