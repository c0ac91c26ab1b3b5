namespace Vdm.Gateway.Configuration;

/// <summary>Where a variable's value came from; the order of the members is the order of precedence.</summary>
internal enum ConfigSourceKind
{
    /// <summary>A command-line flag such as <c>--port</c>.</summary>
    Flag,

    /// <summary>The process environment.</summary>
    Environment,

    /// <summary><c>./.env</c> in the working directory, or the file named by <c>--env-file</c>.</summary>
    ProjectFile,

    /// <summary>The user's <c>~/.config/vdm/.env</c>.</summary>
    UserFile,

    /// <summary>A built-in default.</summary>
    Default,
}

/// <summary>One source of variables: its kind, a name to show people (<c>env</c>, <c>./.env</c>, …) and its values.</summary>
internal sealed record ConfigLayer(ConfigSourceKind Kind, string Label, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>True for layers read from a file, where a mistake is the user's to fix rather than an accident of the shell.</summary>
    public bool IsFile => Kind is ConfigSourceKind.ProjectFile or ConfigSourceKind.UserFile;
}

/// <summary>A variable's effective value and the layer it was taken from.</summary>
internal readonly record struct ConfigValue(string Value, ConfigLayer Source);
