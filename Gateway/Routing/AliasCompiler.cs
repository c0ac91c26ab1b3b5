using System.Collections.Immutable;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Routing;

/// <summary>
/// Turns the configured aliases into <see cref="AliasRule"/>s once per settings snapshot: orders them by match
/// priority, follows alias chains (exact names, at most <see cref="MaxChainSteps"/> steps) and reports cycles as
/// errors and targets that cannot be routed (unknown provider, no default) as warnings.
/// </summary>
internal sealed class AliasCompiler
{
    public const int MaxChainSteps = 10;

    private readonly ProviderDirectory _directory;
    private readonly List<Entry> _bare = [];
    private readonly Dictionary<string, List<Entry>> _scoped = new(StringComparer.Ordinal);
    private readonly Dictionary<Entry, Outcome> _done = [];
    private readonly List<Entry> _chain = [];
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public AliasCompiler(GatewaySettings settings, ProviderDirectory directory)
    {
        _directory = directory;
        var seen = new HashSet<(string?, string)>();
        foreach (var definition in settings.Aliases.OrderBy(a => a.Provider, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal))
        {
            var provider = definition.Provider is null ? null : _directory.Find(definition.Provider);
            if (definition.Provider is not null && provider is null)
            {
                continue; // Discovery keeps scoped aliases of registered providers only.
            }

            var entry = new Entry(definition, AliasName.Normalize(definition.Name), provider);
            if (!seen.Add((provider?.Name, entry.Key)))
            {
                _warnings.Add($"{entry.Variable}: ignored, another variable defines the same alias (case, '-' and '_' do not matter in alias names)");
                continue;
            }

            if (provider is null)
            {
                _bare.Add(entry);
            }
            else
            {
                ScopeOf(provider.Name).Add(entry);
            }
        }

        if (_directory.Default is { } defaultProvider && _scoped.TryGetValue(defaultProvider.Name, out var defaults))
        {
            _bare.AddRange(defaults);
        }

        _bare.Sort(ByPriority);
        foreach (var list in _scoped.Values)
        {
            list.Sort(ByPriority);
        }
    }

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The aliases a bare model name is matched against (global and the default provider's), best first.</summary>
    public ImmutableArray<AliasRule> BareRules() => [.. _bare.Select(Rule)];

    /// <summary>The aliases a <c>provider:model</c> name is matched against, best first.</summary>
    public ImmutableArray<AliasRule> ScopedRules(string provider) =>
        _scoped.TryGetValue(provider, out var list) ? [.. list.Select(Rule)] : [];

    private List<Entry> ScopeOf(string provider)
    {
        if (!_scoped.TryGetValue(provider, out var list))
        {
            _scoped[provider] = list = [];
        }

        return list;
    }

    // Exact matches are the longest possible, so longest first covers "exact first"; then A to Z; then scoped over global.
    private static int ByPriority(Entry a, Entry b)
    {
        var order = b.Key.Length.CompareTo(a.Key.Length);
        if (order == 0)
        {
            order = string.CompareOrdinal(a.Key, b.Key);
        }

        return order != 0 ? order : (a.Provider is null).CompareTo(b.Provider is null);
    }

    private AliasRule Rule(Entry entry)
    {
        var outcome = Compile(entry);
        if (outcome.Problem is not null)
        {
            return new AliasRule(entry.Key, entry.Definition.Name, entry.Variable, default, outcome.Problem);
        }

        var (provider, model) = outcome.Targets[0];
        var route = new Route(provider, model, entry.Definition.Name) { Fallbacks = outcome.Targets.Length > 1 ? outcome.Targets : [] };
        return new AliasRule(entry.Key, entry.Definition.Name, entry.Variable, route, null);
    }

    private Outcome Compile(Entry entry)
    {
        if (_done.TryGetValue(entry, out var known))
        {
            return known;
        }

        _chain.Add(entry);
        var targets = ImmutableArray.CreateBuilder<(ProviderSettings, string)>();
        Outcome? unusable = null;
        Outcome? invalid = null;
        var (depth, via) = (0, (Entry?)null);
        foreach (var target in entry.Definition.Target.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var result = CompileTarget(entry, target);
            if (result.Invalid)
            {
                invalid ??= result;
            }
            else if (result.Problem is not null)
            {
                unusable ??= result;
            }
            else
            {
                targets.AddRange(result.Targets);
                if (result.Depth > depth)
                {
                    (depth, via) = (result.Depth, result.Via);
                }
            }
        }

        _chain.RemoveAt(_chain.Count - 1);
        var outcome = invalid
            ?? (depth > MaxChainSteps ? Invalidate($"alias chain longer than {MaxChainSteps} steps: {Path(entry, via)}")
            : targets.Count > 0 ? new Outcome(targets.ToImmutable(), null, false, depth, via)
            : unusable ?? Invalidate($"{entry.Variable} has no target"));
        _done[entry] = outcome;
        return outcome;
    }

    /// <summary>One target of <paramref name="owner"/>, resolved as a requested name would be, following exact alias names only.</summary>
    private Outcome CompileTarget(Entry owner, string target)
    {
        var literal = target.StartsWith('!');
        var text = literal ? target[1..].Trim() : target;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var prefixed = colon >= 0 ? _directory.Find(text.AsSpan(0, colon)) : null;
        ProviderSettings provider;
        string model;
        if (prefixed is not null)
        {
            (provider, model) = (prefixed, text[(colon + 1)..]);
        }
        else if (owner.Provider is not null)
        {
            // A scoped target is a model of its own provider, colons and all (OLLAMA_ALIAS_SMALL=qwen2.5:7b).
            (provider, model) = (owner.Provider, text);
        }
        else if (!literal && FindExact(_bare, text) is { } next && next != owner)
        {
            return Follow(next);
        }
        else if (colon >= 0 && AliasName.LooksLikeProvider(text.AsSpan(0, colon)))
        {
            return Unusable($"{owner.Variable}={owner.Definition.Target}: provider '{text[..colon].ToLowerInvariant()}' is not configured " +
                $"({_directory.Describe()}); a request that uses this alias will be refused");
        }
        else if (_directory.Default is { } defaultProvider)
        {
            (provider, model) = (defaultProvider, text);
        }
        else
        {
            return Unusable($"{owner.Variable}={owner.Definition.Target}: '{text}' has no provider prefix and there is no default provider; " +
                $"write it as provider:{text} (or set {VariableCatalog.DefaultProvider})");
        }

        if (model.Length == 0)
        {
            return Invalidate($"{owner.Variable}={owner.Definition.Target}: '{text}' names a provider but no model");
        }

        // An alias naming itself means the model of that name (OPENAI_ALIAS_GPT_4O=gpt-4o catches my-gpt-4o-variant).
        if (!literal && _scoped.TryGetValue(provider.Name, out var aliases) && FindExact(aliases, model) is { } alias && alias != owner)
        {
            return Follow(alias);
        }

        return new Outcome([(provider, model)], null, false);
    }

    private Outcome Follow(Entry next)
    {
        var start = _chain.IndexOf(next);
        if (start >= 0)
        {
            var cycle = string.Join(" -> ", _chain.Skip(start).Append(next).Select(e => e.Variable));
            return Invalidate($"alias cycle {cycle}: an alias chain must end in a model");
        }

        var outcome = Compile(next);
        return outcome.Problem is null ? outcome with { Depth = outcome.Depth + 1, Via = next } : outcome;
    }

    private string Path(Entry entry, Entry? via)
    {
        var steps = new List<string> { entry.Variable };
        for (var next = via; next is not null && steps.Count <= MaxChainSteps + 1; next = _done[next].Via)
        {
            steps.Add(next.Variable);
        }

        return string.Join(" -> ", steps);
    }

    private Outcome Invalidate(string message)
    {
        _errors.Add(message);
        return new Outcome([], message, true);
    }

    private Outcome Unusable(string message)
    {
        _warnings.Add(message);
        return new Outcome([], message, false);
    }

    private static Entry? FindExact(List<Entry> entries, string name) => entries.Find(entry => AliasName.Is(entry.Key, name));

    /// <param name="Depth">How many alias steps the longest of its chains takes.</param>
    /// <param name="Via">The alias that longest chain goes through next, for messages.</param>
    private readonly record struct Outcome(
        ImmutableArray<(ProviderSettings, string)> Targets, string? Problem, bool Invalid, int Depth = 0, Entry? Via = null);

    private sealed class Entry(AliasDefinition definition, string key, ProviderSettings? provider)
    {
        public AliasDefinition Definition { get; } = definition;

        public string Key { get; } = key;

        /// <summary>The provider a scoped alias belongs to; null for a global one.</summary>
        public ProviderSettings? Provider { get; } = provider;

        /// <summary>The variable that defines it, as people write it: <c>VDM_ALIAS_FAST</c>, <c>POE_ALIAS_FAST</c>.</summary>
        public string Variable { get; } = definition.Provider is null
            ? VariableCatalog.GlobalAliasPrefix + definition.Name.ToUpperInvariant()
            : definition.Provider.ToUpperInvariant() + VariableCatalog.AliasInfix + definition.Name.ToUpperInvariant();
    }
}
