using System.Collections;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// What the configuration is read from besides flags: the process environment, the working directory and the home
/// directory. Passed in rather than read from globals, so tests run in parallel without touching the real ones.
/// </summary>
internal sealed record ConfigEnvironment(IReadOnlyDictionary<string, string> Variables, string WorkingDirectory, string? HomeDirectory)
{
    public static ConfigEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ConfigEnvironment(variables, Directory.GetCurrentDirectory(), home.Length > 0 ? home : null);
    }

    /// <summary><c>$XDG_CONFIG_HOME/vdm/.env</c>, else <c>~/.config/vdm/.env</c>; null without a home directory.</summary>
    public string? UserFile
    {
        get
        {
            if (Variables.TryGetValue("XDG_CONFIG_HOME", out var xdg) && Path.IsPathFullyQualified(xdg))
            {
                return Path.Combine(xdg, "vdm", ".env");
            }

            return HomeDirectory is null ? null : Path.Combine(HomeDirectory, ".config", "vdm", ".env");
        }
    }

    /// <summary>A path for people to read: under the home directory it starts with <c>~</c>.</summary>
    public string Display(string path) =>
        HomeDirectory is not null && path.StartsWith(HomeDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? "~" + path[HomeDirectory.Length..]
            : path;
}
