using Vdm.Gateway.Routing;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads the whole configuration the one way every command and a reload do: the layers, then the settings, then
/// the alias chains against the providers that exist, with every problem collected.
/// </summary>
internal static class GatewayConfiguration
{
    public static (LayeredVariables Variables, SettingsLoadResult Result) Read(
        ConfigEnvironment environment, string? envFile, IReadOnlyDictionary<string, string> flags)
    {
        var sources = ConfigurationSources.Read(environment, envFile, flags);
        var result = SettingsLoader.Load(sources.Variables);
        if (sources.Errors.Count > 0)
        {
            result = new SettingsLoadResult(null, [.. sources.Errors, .. result.Errors], result.Warnings);
        }

        // Alias chains and targets can only be checked against the providers that exist, so after loading.
        if (result.Settings is { } settings)
        {
            ModelRouter.Build(settings, out var aliasErrors, out var aliasWarnings);
            result = aliasErrors.Count > 0
                ? new SettingsLoadResult(null, aliasErrors, [.. result.Warnings, .. aliasWarnings])
                : result with { Warnings = [.. result.Warnings, .. aliasWarnings] };
        }

        return (sources.Variables, result);
    }
}
