using System.CommandLine;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>Reads the configuration for a command: every layer, then the settings, with every problem collected.</summary>
internal static class SettingsReader
{
    public static (LayeredVariables Variables, SettingsLoadResult Result) Read(
        CliContext context, ParseResult parseResult, Option<string?> envFile, IReadOnlyDictionary<string, string>? flags = null) =>
        GatewayConfiguration.Read(context.Environment, parseResult.GetValue(envFile), flags ?? new Dictionary<string, string>());

    /// <summary>Prints the problems of an invalid configuration to stderr, one per line.</summary>
    public static async Task ReportInvalidAsync(CliContext context, SettingsLoadResult result)
    {
        await context.Error.WriteLineAsync("vdm: the configuration is invalid:").ConfigureAwait(false);
        foreach (var error in result.Errors)
        {
            await context.Error.WriteLineAsync("  " + error).ConfigureAwait(false);
        }
    }

    public static async Task ReportWarningsAsync(CliContext context, SettingsLoadResult result)
    {
        foreach (var warning in result.Warnings)
        {
            await context.Error.WriteLineAsync("vdm: warning: " + warning).ConfigureAwait(false);
        }
    }
}
