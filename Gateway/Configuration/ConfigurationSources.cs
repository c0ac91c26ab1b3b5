namespace Vdm.Gateway.Configuration;

/// <summary>The merged variables, or the problems that kept a source from being read.</summary>
internal sealed record ConfigSourcesResult(LayeredVariables Variables, IReadOnlyList<string> Errors);

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

        if (envFile is not null)
        {
            var path = Path.GetFullPath(envFile, environment.WorkingDirectory);
            if (File.Exists(path))
            {
                AddFile(layers, errors, ConfigSourceKind.ProjectFile, path, envFile);
            }
            else
            {
                errors.Add($"--env-file {envFile}: no such file");
            }
        }
        else
        {
            var path = Path.Combine(environment.WorkingDirectory, ".env");
            if (File.Exists(path))
            {
                AddFile(layers, errors, ConfigSourceKind.ProjectFile, path, "./.env");
            }
        }

        if (environment.UserFile is { } userFile && File.Exists(userFile))
        {
            AddFile(layers, errors, ConfigSourceKind.UserFile, userFile, environment.Display(userFile));
        }

        layers.Add(new ConfigLayer(ConfigSourceKind.Default, "default", VariableCatalog.Defaults));
        return new ConfigSourcesResult(new LayeredVariables(layers), errors);
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
