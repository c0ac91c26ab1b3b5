using System.Collections.Immutable;
using Vdm.Conversion;
using Vdm.Gateway.Middleware;

namespace Vdm.Gateway.Configuration;

/// <summary>One middleware a provider runs: its name, and the provider models it is limited to (null: all).</summary>
internal sealed record MiddlewareSelection(string Name, Glob? Models)
{
    public bool AppliesTo(string model) => Models?.Matches(model) ?? true;

    public override string ToString() => Models?.Text is { } models ? $"{Name}:{models}" : Name;
}

/// <summary>
/// Which middlewares each OpenAI-format provider runs, in order: <c>{NAME}_MIDDLEWARE</c> when set (<c>none</c> for
/// none), else <c>VDM_MIDDLEWARE</c> (by default the Gemini thought signatures). An entry is a middleware's name,
/// optionally with a model glob: <c>gemini-thought-signatures:google/gemini-*</c>. <c>GEMINI_THOUGHT_SIGNATURES_ENABLED=false</c>
/// takes that one out wherever it is listed. Unknown names are errors that list the known ones.
/// </summary>
internal static class MiddlewareReader
{
    public const string DefaultList = GeminiThoughtSignatures.MiddlewareName;

    public static ImmutableArray<ProviderSettings> Apply(
        ImmutableArray<ProviderSettings> providers, LayeredVariables variables, ConfigDiagnostics diagnostics, bool thoughtSignatures)
    {
        var global = Read(variables, diagnostics, VariableCatalog.Middleware, DefaultList, thoughtSignatures);
        return [.. providers.Select(provider => provider.Format != ApiFormat.OpenAI
            ? provider
            : provider with { Middleware = Read(variables, diagnostics, provider.Name.ToUpperInvariant() + VariableCatalog.MiddlewareSuffix, null, thoughtSignatures) ?? global ?? [] })];
    }

    private static ImmutableArray<MiddlewareSelection>? Read(
        LayeredVariables variables, ConfigDiagnostics diagnostics, string name, string? fallback, bool thoughtSignatures)
    {
        string text;
        ConfigValue value = default;
        if (variables.TryGetNonEmpty(name, out value))
        {
            text = value.Value;
        }
        else if (fallback is not null)
        {
            text = fallback;
        }
        else
        {
            return null;
        }

        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var selections = ImmutableArray.CreateBuilder<MiddlewareSelection>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            var middleware = (colon < 0 ? entry : entry[..colon]).Trim().ToLowerInvariant();
            if (!MiddlewareCatalog.Names.Contains(middleware))
            {
                diagnostics.Invalid(name, value, $"no middleware '{middleware}' (known: {string.Join(", ", MiddlewareCatalog.Names)}; or none)");
                continue;
            }

            if (middleware == GeminiThoughtSignatures.MiddlewareName && !thoughtSignatures)
            {
                continue;
            }

            // Commas separate middlewares, so a model glob's alternatives are separated by '|'.
            var models = colon < 0 ? null : new Glob(entry[(colon + 1)..].Replace('|', ','));
            if (colon >= 0 && models!.Text is null)
            {
                diagnostics.Invalid(name, value, $"'{entry}' names no models after ':' (write {middleware} alone for all of them)");
                continue;
            }

            // Twice in the list would run it twice (and, for the thought signatures, wrap ids twice): the first place counts.
            if (selections.Any(selection => selection.Name == middleware))
            {
                diagnostics.Warn($"{name} lists {middleware} more than once; it runs once, where it is first listed");
                continue;
            }

            selections.Add(new MiddlewareSelection(middleware, models));
        }

        return selections.ToImmutable();
    }
}
