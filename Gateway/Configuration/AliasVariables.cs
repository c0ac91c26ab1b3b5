namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads alias definitions as written (<c>VDM_ALIAS_{NAME}</c>, <c>{PROVIDER}_ALIAS_{NAME}</c>); what they mean is the
/// router's business, but discovery needs to know which providers they name.
/// </summary>
internal static class AliasVariables
{
    public static List<AliasDefinition> Read(LayeredVariables variables, string prefix, string? provider)
    {
        var aliases = new List<AliasDefinition>();
        foreach (var variable in variables.Names)
        {
            if (variable.StartsWith(prefix, StringComparison.Ordinal) && variable.Length > prefix.Length
                && variables.TryGetNonEmpty(variable, out var value))
            {
                aliases.Add(new AliasDefinition(provider, variable[prefix.Length..].ToLowerInvariant(), value.Value.Trim()));
            }
        }

        return aliases;
    }

    /// <summary>The provider each target of a global alias names (<c>poe:x</c>, <c>!poe:x</c>, <c>a:x,b:y</c> → poe, a).</summary>
    public static IEnumerable<string> TargetProviders(string target) =>
        target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
              .Select(part => part.TrimStart('!'))
              .Where(part => part.Contains(':', StringComparison.Ordinal))
              .Select(part => part[..part.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant());
}
