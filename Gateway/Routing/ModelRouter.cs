using System.Collections.Frozen;
using System.Collections.Immutable;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Routing;

/// <summary>
/// Turns a requested model name into a provider and an upstream model, through the smart aliases. Built once per
/// settings snapshot, immutable and safe to share; resolving allocates nothing but the result's model name, and not
/// even that for a bare name or an alias.
/// </summary>
/// <remarks>
/// Resolution of <c>[!][provider:]model</c>:
/// <list type="number">
/// <item>A leading <c>!</c> makes the name literal: no alias is applied.</item>
/// <item>Text before the first colon that names a configured provider (any case) selects it; the rest, case and
/// further colons kept, is the model, matched against that provider's aliases only.</item>
/// <item>Any other name is matched against the global aliases and the default provider's.</item>
/// <item>If no alias matches, a name whose text before the first colon looks like a provider name (letters, digits,
/// <c>_</c>, <c>-</c>) is an unknown provider; any other name (<c>qwen2.5:7b</c>, <c>x/y:free</c>) is a model of the
/// default provider.</item>
/// </list>
/// An alias matches when it occurs in the model name, ignoring case, with <c>-</c> and <c>_</c> alike; the longest
/// wins (an exact match is the longest), then the first A to Z, then a provider's own alias over a global one.
/// </remarks>
internal sealed class ModelRouter
{
    private readonly ProviderDirectory _providers;
    private readonly ImmutableArray<AliasRule> _bareAliases;
    private readonly FrozenDictionary<string, ImmutableArray<AliasRule>> _scopedAliases;

    private ModelRouter(ProviderDirectory providers, ImmutableArray<AliasRule> bareAliases,
        FrozenDictionary<string, ImmutableArray<AliasRule>> scopedAliases)
    {
        _providers = providers;
        _bareAliases = bareAliases;
        _scopedAliases = scopedAliases;
    }

    /// <summary>Compiles the routing table; an alias cycle or over-long chain is an error, an unroutable target a warning.</summary>
    public static ModelRouter Build(GatewaySettings settings, out IReadOnlyList<string> errors, out IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var providers = new ProviderDirectory(settings);
        var compiler = new AliasCompiler(settings, providers);
        var bare = compiler.BareRules();
        var scoped = settings.Providers.ToFrozenDictionary(provider => provider.Name, provider => compiler.ScopedRules(provider.Name), StringComparer.Ordinal);
        errors = compiler.Errors;
        warnings = compiler.Warnings;
        return new ModelRouter(providers, bare, scoped);
    }

    public bool TryResolve(string requestedModel, out Route route, out RouteError error)
    {
        ArgumentNullException.ThrowIfNull(requestedModel);

        route = default;
        error = default;
        var name = requestedModel.AsSpan().Trim();
        var literal = name.StartsWith('!');
        if (literal)
        {
            name = name[1..].TrimStart();
        }

        if (name.IsEmpty)
        {
            error = new("The model name is empty; give a model, such as provider:model.");
            return false;
        }

        var colon = name.IndexOf(':');
        if (colon >= 0 && _providers.Find(name[..colon]) is { } provider)
        {
            var model = name[(colon + 1)..];
            if (model.IsEmpty)
            {
                error = new($"Model '{requestedModel}' names provider '{provider.Name}' but no model; write {provider.Name}:MODEL.");
                return false;
            }

            if (!literal && Match(_scopedAliases[provider.Name], model) is { } scopedAlias)
            {
                return FromAlias(scopedAlias, requestedModel, out route, out error);
            }

            route = new(provider, model.ToString(), null);
            return true;
        }

        if (!literal && Match(_bareAliases, name) is { } alias)
        {
            return FromAlias(alias, requestedModel, out route, out error);
        }

        if (colon >= 0 && AliasName.LooksLikeProvider(name[..colon]))
        {
            error = new(UnknownProvider(requestedModel, name[..colon].ToString(), name.ToString()));
            return false;
        }

        if (_providers.Default is not { } defaultProvider)
        {
            error = new(NoDefault(requestedModel));
            return false;
        }

        route = new(defaultProvider, name.Length == requestedModel.Length ? requestedModel : name.ToString(), null);
        return true;
    }

    private static AliasRule? Match(ImmutableArray<AliasRule> aliases, ReadOnlySpan<char> model)
    {
        // Best first (see AliasCompiler), so the first hit wins.
        foreach (var alias in aliases)
        {
            if (AliasName.OccursIn(alias.Key, model))
            {
                return alias;
            }
        }

        return null;
    }

    private static bool FromAlias(AliasRule alias, string requestedModel, out Route route, out RouteError error)
    {
        route = alias.Route;
        error = default;
        if (alias.Problem is null)
        {
            return true;
        }

        error = new($"Model '{requestedModel}' matched alias '{alias.Name}' ({alias.Variable}), which cannot be used: {alias.Problem}.");
        return false;
    }

    private string UnknownProvider(string requestedModel, string prefix, string name)
    {
        if (_providers.Count == 0)
        {
            return $"Unknown provider '{prefix}' in model '{requestedModel}': no provider is configured. " +
                $"Add one by setting {prefix.ToUpperInvariant().Replace('-', '_')}_API_KEY (and {prefix.ToUpperInvariant().Replace('-', '_')}_BASE_URL " +
                "unless it is a built-in provider).";
        }

        var hint = _providers.Default is { } defaultProvider
            ? $" If '{name}' is a model name, write {defaultProvider.Name}:{name}."
            : "";
        return $"Unknown provider '{prefix}' in model '{requestedModel}'. Configured providers: {_providers.Names}.{hint}";
    }

    private string NoDefault(string requestedModel)
    {
        if (_providers.Count == 0)
        {
            return $"No provider is configured, so vdm cannot route model '{requestedModel}'. Add one by setting its key, " +
                "such as OPENAI_API_KEY=... (or OLLAMA_API_KEY= for a local Ollama); any other provider also needs {NAME}_BASE_URL.";
        }

        return $"Model '{requestedModel}' has no provider prefix and no default provider is set. Use provider:model " +
            $"(configured providers: {_providers.Names}) or set {VariableCatalog.DefaultProvider}.";
    }
}
