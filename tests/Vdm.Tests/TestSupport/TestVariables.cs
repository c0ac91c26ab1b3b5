using Vdm.Gateway.Configuration;

namespace Vdm.Tests.TestSupport;

/// <summary>Builds configuration layers from name/value pairs, so tests never touch the process environment.</summary>
internal static class TestVariables
{
    public static LayeredVariables Env(params (string Name, string Value)[] values) =>
        Layers(new ConfigLayer(ConfigSourceKind.Environment, "env", ToDictionary(values)));

    public static LayeredVariables File(params (string Name, string Value)[] values) =>
        Layers(new ConfigLayer(ConfigSourceKind.ProjectFile, "./.env", ToDictionary(values)));

    /// <summary>The given layers plus the built-in defaults, as the real loader would have them.</summary>
    public static LayeredVariables Layers(params ConfigLayer[] layers) =>
        new([.. layers, new ConfigLayer(ConfigSourceKind.Default, "default", VariableCatalog.Defaults)]);

    public static ConfigLayer Layer(ConfigSourceKind kind, string label, params (string Name, string Value)[] values) =>
        new(kind, label, ToDictionary(values));

    /// <summary>Loads settings from an environment layer over a <c>./.env</c> layer.</summary>
    public static SettingsLoadResult LoadEnvAndFile((string Name, string Value)[] env, params (string Name, string Value)[] projectFile) =>
        SettingsLoader.Load(Layers(
            Layer(ConfigSourceKind.Environment, "env", env),
            Layer(ConfigSourceKind.ProjectFile, "./.env", projectFile)));

    public static SettingsLoadResult Load(params (string Name, string Value)[] env) => SettingsLoader.Load(Env(env));

    /// <summary>Loads settings from a <c>./.env</c> layer alone (some variables mean something else when exported).</summary>
    public static SettingsLoadResult LoadFile(params (string Name, string Value)[] projectFile) => SettingsLoader.Load(File(projectFile));

    /// <summary>Settings from a <c>./.env</c> layer alone.</summary>
    public static GatewaySettings SettingsFromFile(params (string Name, string Value)[] projectFile)
    {
        var result = LoadFile(projectFile);
        return result.Settings ?? throw new InvalidOperationException("invalid test configuration: " + string.Join("; ", result.Errors));
    }

    public static GatewaySettings Settings(params (string Name, string Value)[] env)
    {
        var result = Load(env);
        return result.Settings ?? throw new InvalidOperationException("invalid test configuration: " + string.Join("; ", result.Errors));
    }

    private static Dictionary<string, string> ToDictionary((string Name, string Value)[] values) =>
        values.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);
}
