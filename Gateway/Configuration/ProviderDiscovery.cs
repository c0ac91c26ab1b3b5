using System.Collections.Immutable;
using Vdm.Conversion;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// Finds the providers in the variables: every <c>{NAME}_API_KEY</c> (but <c>PROXY_API_KEY</c>) names one, and its
/// <c>{NAME}_*</c> variables describe it. Also collects the aliases, which decide whether an unknown name is kept.
/// </summary>
internal sealed class ProviderDiscovery(
    LayeredVariables variables,
    ConfigDiagnostics diagnostics,
    ListenAddress listen,
    string? defaultProvider,
    int? globalMaxTokens,
    int? globalMinTokens)
{
    public ImmutableArray<AliasDefinition> Aliases { get; private set; } = [];

    /// <summary>Every provider name a key variable announced, registered or not (skipped, or failed validation).</summary>
    public IReadOnlySet<string> CandidateNames { get; private set; } = new HashSet<string>();

    public ImmutableArray<ProviderSettings> Discover()
    {
        var candidates = FindCandidates();
        CandidateNames = candidates.Select(candidate => candidate.Name).ToHashSet(StringComparer.Ordinal);
        ReportOrphanOAuth();
        var globalAliases = AliasVariables.Read(variables, VariableCatalog.GlobalAliasPrefix, provider: null);
        var aliasTargets = globalAliases.SelectMany(alias => AliasVariables.TargetProviders(alias.Target)).ToHashSet(StringComparer.Ordinal);
        var globalHeaders = CustomHeaders.Read(variables, diagnostics, VariableCatalog.GlobalHeaderPrefix);

        var providers = ImmutableArray.CreateBuilder<ProviderSettings>();
        var aliases = ImmutableArray.CreateBuilder<AliasDefinition>();
        aliases.AddRange(globalAliases);

        foreach (var (prefix, name) in candidates)
        {
            var known = KnownProviders.All.ContainsKey(name);
            var wanted = name == defaultProvider || aliasTargets.Contains(name);
            if (!known && !wanted && !variables.TryGetNonEmpty(prefix + VariableCatalog.BaseUrlSuffix, out _))
            {
                diagnostics.Warn($"{prefix}{VariableCatalog.ApiKeySuffix}: '{name}' is not a built-in provider and " +
                    $"{prefix}{VariableCatalog.BaseUrlSuffix} is not set, so it is probably another tool's key; skipped " +
                    $"(set {prefix}{VariableCatalog.BaseUrlSuffix} to use it through vdm)");
                continue;
            }

            var provider = ReadProvider(prefix, name, globalHeaders);
            if (provider is not null)
            {
                providers.Add(provider);
                aliases.AddRange(AliasVariables.Read(variables, prefix + VariableCatalog.AliasInfix, name));
            }
        }

        Aliases = aliases.ToImmutable();
        return providers.ToImmutable();
    }

    /// <summary>
    /// Every <c>{NAME}_API_KEY</c>, as (NAME, name); upper-case names only, since those are what people export. vdm's
    /// own header and alias variables may end the same way (<c>CUSTOM_HEADER_X_API_KEY</c>) and are not keys.
    /// </summary>
    private List<(string Prefix, string Name)> FindCandidates()
    {
        var found = new List<(string, string)>();
        foreach (var variable in variables.Names)
        {
            if (!variable.EndsWith(VariableCatalog.ApiKeySuffix, StringComparison.OrdinalIgnoreCase) || IsVdmOwnVariable(variable))
            {
                continue;
            }

            var prefix = variable[..^VariableCatalog.ApiKeySuffix.Length];
            if (prefix.Length == 0 || prefix[0] == '_' || prefix[^1] == '_' || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                continue;
            }

            if (variable.Any(char.IsAsciiLetterLower))
            {
                // A file is the user's own writing; the environment holds every other program's variables too.
                if (IsFromFile(variable))
                {
                    diagnostics.Warn($"{variable}: ignored, variable names are case-sensitive (did you mean {variable.ToUpperInvariant()}?)");
                }

                continue;
            }

            var name = prefix.ToLowerInvariant();
            if (name == "vdm")
            {
                variables.TryGet(variable, out var value);
                diagnostics.Error($"{variable} ({value.Source.Label}): 'vdm' is reserved and cannot name a provider; " +
                    $"to require a key from clients use {VariableCatalog.ProxyApiKey}");
                continue;
            }

            found.Add((prefix, name));
        }

        return found;
    }

    private bool IsFromFile(string variable) => variables.TryGet(variable, out var value) && value.Source.IsFile;

    /// <summary>vdm's own variables that may end like a provider's (<c>CUSTOM_HEADER_X_API_KEY</c>, <c>VDM_ALIAS_X_AUTH_MODE</c>).</summary>
    private static bool IsVdmOwnVariable(string variable) =>
        variable == VariableCatalog.ProxyApiKey
        || variable.StartsWith(VariableCatalog.GlobalHeaderPrefix, StringComparison.Ordinal)
        || variable.StartsWith(VariableCatalog.GlobalAliasPrefix, StringComparison.Ordinal)
        || variable.Contains(VariableCatalog.HeaderInfix, StringComparison.Ordinal)
        || variable.Contains(VariableCatalog.AliasInfix, StringComparison.Ordinal);

    /// <summary><c>{NAME}_AUTH_MODE=oauth</c> asks for a feature vdm lacks, whether or not a key is set too.</summary>
    private void ReportOrphanOAuth()
    {
        foreach (var variable in variables.Names)
        {
            if (variable.EndsWith(VariableCatalog.AuthModeSuffix, StringComparison.Ordinal)
                && !IsVdmOwnVariable(variable)
                && !CandidateNames.Contains(variable[..^VariableCatalog.AuthModeSuffix.Length].ToLowerInvariant())
                && variables.TryGetNonEmpty(variable, out var value)
                && value.Value.Trim().Equals("oauth", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Invalid(variable, value, "OAuth is not supported yet; use an API key or !PASSTHRU");
            }
        }
    }

    private ProviderSettings? ReadProvider(string prefix, string name, IReadOnlyList<KeyValuePair<string, string>> globalHeaders)
    {
        var errorsBefore = diagnostics.Errors.Count;
        KnownProviders.All.TryGetValue(name, out var builtIn);

        var (auth, keys) = ReadKeys(prefix);
        var format = ReadFormat(prefix, builtIn.Format);
        var (baseUrl, baseUrlSource) = ReadBaseUrl(prefix, name, builtIn.BaseUrl);
        var apiVersion = variables.TryGetNonEmpty(prefix + VariableCatalog.ApiVersionSuffix, out var version) ? version.Value.Trim() : null;
        var maxTokensName = prefix + VariableCatalog.MaxTokensLimitSuffix;
        var ownMaxTokens = SettingsLoader.ReadInt(variables, diagnostics, maxTokensName, 1, int.MaxValue);
        if (ownMaxTokens < globalMinTokens && variables.TryGetNonEmpty(maxTokensName, out var ownMax)
            && variables.TryGetNonEmpty(VariableCatalog.MinTokensLimit, out var floor))
        {
            diagnostics.Error($"{ConfigDiagnostics.Describe(maxTokensName, ownMax)} is below " +
                $"{ConfigDiagnostics.Describe(VariableCatalog.MinTokensLimit, floor)}: the cap must not be under the floor");
        }

        var maxTokens = ownMaxTokens ?? globalMaxTokens;

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (header, value) in globalHeaders.Concat(CustomHeaders.Read(variables, diagnostics, prefix + VariableCatalog.HeaderInfix)))
        {
            headers[header] = value;
        }

        if (diagnostics.Errors.Count > errorsBefore || baseUrl is null)
        {
            return null;
        }

        return new ProviderSettings(name, format, baseUrl, auth, keys, apiVersion,
            [.. headers.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase)], maxTokens)
        {
            BaseUrlSource = baseUrlSource,
        };
    }

    private (ProviderAuth Auth, ImmutableArray<string> Keys) ReadKeys(string prefix)
    {
        var keyName = prefix + VariableCatalog.ApiKeySuffix;
        variables.TryGet(keyName, out var keyValue);
        var tokens = keyValue.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

        var modeName = prefix + VariableCatalog.AuthModeSuffix;
        var mode = variables.TryGetNonEmpty(modeName, out var modeValue) ? modeValue.Value.Trim().ToLowerInvariant() : "";
        switch (mode)
        {
            case "" or "api_key" or "static" or "passthrough":
                break;
            case "oauth":
                diagnostics.Invalid(modeName, modeValue, "OAuth is not supported yet; use an API key or !PASSTHRU");
                return (ProviderAuth.None, []);
            default:
                diagnostics.Invalid(modeName, modeValue, "must be passthrough or api_key");
                return (ProviderAuth.None, []);
        }

        var sentinels = tokens.Where(token => token.StartsWith('!')).ToList();
        if (sentinels.Any(token => token.Equals(VariableCatalog.OAuthSentinel, StringComparison.OrdinalIgnoreCase)))
        {
            diagnostics.Error($"{keyName} ({keyValue.Source.Label}): {VariableCatalog.OAuthSentinel} is not supported yet; use an API key or {VariableCatalog.PassthroughSentinel}");
            return (ProviderAuth.None, []);
        }

        // The value is not echoed: a real key that happens to start with '!' must not reach a terminal or a log.
        if (sentinels.Any(token => !token.Equals(VariableCatalog.PassthroughSentinel, StringComparison.OrdinalIgnoreCase)))
        {
            diagnostics.Error($"{keyName} ({keyValue.Source.Label}): a value starting with '!' must be the sentinel {VariableCatalog.PassthroughSentinel}");
            return (ProviderAuth.None, []);
        }

        var passthrough = sentinels.Count > 0 || mode == "passthrough";
        var staticKeys = tokens.Where(token => !token.StartsWith('!')).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (passthrough && !staticKeys.IsEmpty)
        {
            diagnostics.Error($"{keyName} ({keyValue.Source.Label}): {VariableCatalog.PassthroughSentinel} cannot be mixed with static keys " +
                "in one provider; use one or the other (or two providers)");
            return (ProviderAuth.None, []);
        }

        return passthrough ? (ProviderAuth.Passthrough, [])
            : staticKeys.IsEmpty ? (ProviderAuth.None, [])
            : (ProviderAuth.Static, staticKeys);
    }

    private ApiFormat ReadFormat(string prefix, ApiFormat builtIn)
    {
        var name = prefix + VariableCatalog.ApiFormatSuffix;
        if (!variables.TryGetNonEmpty(name, out var value))
        {
            return builtIn;
        }

        switch (value.Value.Trim().ToLowerInvariant())
        {
            case "openai":
                return ApiFormat.OpenAI;
            case "anthropic":
                return ApiFormat.Anthropic;
            default:
                diagnostics.Invalid(name, value, "must be openai or anthropic");
                return builtIn;
        }
    }

    /// <summary>
    /// The first usable base URL, from the highest layer down to the built-in one. A URL that points at vdm itself
    /// would loop: from the process environment it is almost always <c>ANTHROPIC_BASE_URL</c> exported for Claude
    /// Code in the same shell, so it is skipped with a warning; from a file it is a mistake to fix.
    /// </summary>
    private (Uri? Url, string Source) ReadBaseUrl(string prefix, string name, string? builtIn)
    {
        var variable = prefix + VariableCatalog.BaseUrlSuffix;
        foreach (var value in variables.AllValues(variable))
        {
            var text = value.Value.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.Query.Length > 0 || url.Fragment.Length > 0)
            {
                diagnostics.Invalid(variable, value, "must be an absolute http:// or https:// URL without a query, such as https://api.example.com/v1");
                return (null, value.Source.Label);
            }

            if (listen.IsSelf(url))
            {
                if (value.Source.Kind == ConfigSourceKind.Environment)
                {
                    diagnostics.Warn($"{variable}={text} (env) points at vdm itself ({listen.ClientUrl(listen.Port)}); it is most likely " +
                        $"exported for Claude Code in this shell, so vdm ignores it for provider '{name}'");
                    continue;
                }

                diagnostics.Invalid(variable, value, $"points at vdm itself ({listen.ClientUrl(listen.Port)}) and would loop; give the provider's own URL");
                return (null, value.Source.Label);
            }

            return (new Uri(text.TrimEnd('/')), value.Source.Label);
        }

        if (builtIn is not null)
        {
            return (new Uri(builtIn), "built-in");
        }

        diagnostics.Error($"{variable} is not set: '{name}' is not a built-in provider, so vdm needs its URL (such as https://api.example.com/v1)");
        return (null, "");
    }
}
