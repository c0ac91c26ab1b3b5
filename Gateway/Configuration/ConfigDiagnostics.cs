namespace Vdm.Gateway.Configuration;

/// <summary>
/// Collects what is wrong with a configuration, one line per problem: the variable, its value (never a secret's),
/// where it came from, and what is allowed.
/// </summary>
internal sealed class ConfigDiagnostics
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    public void Error(string message) => _errors.Add(message);

    public void Warn(string message) => _warnings.Add(message);

    /// <summary>Reports a bad value of <paramref name="name"/>: <c>PORT=abc (env): must be …</c>.</summary>
    public void Invalid(string name, ConfigValue value, string allowed) => _errors.Add($"{Describe(name, value)}: {allowed}");

    /// <summary><c>NAME=value (source)</c>, or <c>NAME (source)</c> for secrets, whose values are never shown.</summary>
    public static string Describe(string name, ConfigValue value) =>
        VariableCatalog.IsSecret(name)
            ? $"{name} ({value.Source.Label})"
            : $"{name}={value.Value} ({value.Source.Label})";
}
