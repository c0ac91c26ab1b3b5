using Vdm.Gateway.Configuration;
using Vdm.Gateway.Routing;

namespace Vdm.Cli;

/// <summary>
/// Judges what <c>vdm config setup</c> is about to write as <c>vdm config validate</c> would judge that file alone: the
/// real loader, then the alias compiler, with the variables as the only <c>.env</c> layer over the defaults.
/// </summary>
internal static class SetupCheck
{
    public static SettingsLoadResult Load(IReadOnlyDictionary<string, string> variables, string label)
    {
        var layers = new LayeredVariables(
        [
            new ConfigLayer(ConfigSourceKind.ProjectFile, label, variables),
            new ConfigLayer(ConfigSourceKind.Default, "default", VariableCatalog.Defaults),
        ]);
        var result = SettingsLoader.Load(layers);
        if (result.Settings is not { } settings)
        {
            return result;
        }

        // As in SettingsReader.Read: alias chains and targets can only be checked once the providers are known.
        ModelRouter.Build(settings, out var aliasErrors, out var aliasWarnings);
        return aliasErrors.Count > 0
            ? new SettingsLoadResult(null, aliasErrors, [.. result.Warnings, .. aliasWarnings])
            : result with { Warnings = [.. result.Warnings, .. aliasWarnings] };
    }
}
