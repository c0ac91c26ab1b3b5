namespace Vdm.Gateway.Configuration;

/// <summary>The merged variables, or the problems that kept a source from being read.</summary>
internal sealed record ConfigSourcesResult(LayeredVariables Variables, IReadOnlyList<string> Errors);

/// <summary>A file the configuration is read from: its layer, full path, the label people see, and whether it must exist.</summary>
internal sealed record ConfigFile(ConfigSourceKind Kind, string Path, string Label, bool Required);

/// <summary>
/// Reads every configuration layer, highest precedence first: flags, the process environment, <c>./.env</c> (or the
/// <c>--env-file</c> file instead), the user's <c>~/.config/vdm/.env</c>, then the built-in defaults.
/// </summary>
internal static class ConfigurationSources
{
    public static ConfigSourcesResult Read(ConfigEnvironment environment, string? envFile, IReadOnlyDictionary<string, string> flags)
    {
        var errors = new List<string>();
        var layers = new List<ConfigLayer>
        {
            new(ConfigSourceKind.Flag, "flag", flags),
            new(ConfigSourceKind.Environment, "env", environment.Variables),
        };

        foreach (var file in Files(environment, envFile))
        {
            if (File.Exists(file.Path))
            {
                AddFile(layers, errors, file.Kind, file.Path, file.Label);
            }
            else if (file.Required)
            {
                errors.Add($"--env-file {envFile}: no such file");
            }
        }

        layers.Add(new ConfigLayer(ConfigSourceKind.Default, "default", VariableCatalog.Defaults));
        return new ConfigSourcesResult(new LayeredVariables(layers), errors);
    }

    /// <summary>
    /// The files the configuration is read from, whether they exist yet or not: <c>./.env</c> (or the
    /// <c>--env-file</c> file instead, which must exist), then the user's file when there is a home directory.
    /// </summary>
    public static IReadOnlyList<ConfigFile> Files(ConfigEnvironment environment, string? envFile)
    {
        var files = new List<ConfigFile>(2);
        files.Add(envFile is not null
            ? new ConfigFile(ConfigSourceKind.ProjectFile, Path.GetFullPath(envFile, environment.WorkingDirectory), envFile, Required: true)
            : new ConfigFile(ConfigSourceKind.ProjectFile, Path.Combine(environment.WorkingDirectory, ".env"), "./.env", Required: false));

        if (environment.UserFile is { } userFile)
        {
            files.Add(new ConfigFile(ConfigSourceKind.UserFile, userFile, environment.Display(userFile), Required: false));
        }

        return files;
    }

    private static void AddFile(List<ConfigLayer> layers, List<string> errors, ConfigSourceKind kind, string path, string label)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{label}: cannot be read ({exception.Message})");
            return;
        }

        var parsed = DotEnvFile.Parse(text, label);
        errors.AddRange(parsed.Problems);
        layers.Add(new ConfigLayer(kind, label, parsed.Values));
    }
}
