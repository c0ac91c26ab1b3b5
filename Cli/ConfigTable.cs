using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// The <c>vdm config show</c> table: each variable that matters, its effective value (secrets as <c>sha256:</c>
/// fingerprints, sentinels as written) and its source (flag, env, ./.env, ~/.config/vdm/.env, default, built-in).
/// </summary>
internal static class ConfigTable
{
    public static string Render(GatewaySettings settings, LayeredVariables variables)
    {
        var rows = new List<(string Name, string Value, string Source)>();
        foreach (var spec in VariableCatalog.All.Where(spec => !spec.IsPattern))
        {
            rows.Add(Row(variables, spec.Name, spec.DefaultText));
        }

        foreach (var name in variables.Names.Where(name => name.StartsWith(VariableCatalog.GlobalHeaderPrefix, StringComparison.Ordinal)
            || name.StartsWith(VariableCatalog.GlobalAliasPrefix, StringComparison.Ordinal)))
        {
            rows.Add(Row(variables, name, ""));
        }

        foreach (var provider in settings.Providers)
        {
            var prefix = provider.Name.ToUpperInvariant();
            foreach (var name in variables.Names.Where(name => name.StartsWith(prefix + "_", StringComparison.Ordinal)
                && IsProviderVariable(name[prefix.Length..])))
            {
                rows.Add(Row(variables, name, ""));
            }

            // The URL in use, which need not be the top layer's: a looping or empty one is passed over.
            var baseUrl = prefix + VariableCatalog.BaseUrlSuffix;
            rows.RemoveAll(row => row.Name == baseUrl);
            rows.Add((baseUrl, provider.BaseUrl.OriginalString, provider.BaseUrlSource));
        }

        return TextTable.Render(["VARIABLE", "VALUE", "SOURCE"], [.. rows.Select(row => (IReadOnlyList<string>)[row.Name, row.Value, row.Source])]);
    }

    private static bool IsProviderVariable(string suffix) =>
        suffix is VariableCatalog.ApiKeySuffix or VariableCatalog.BaseUrlSuffix or VariableCatalog.ApiFormatSuffix
            or VariableCatalog.ApiVersionSuffix or VariableCatalog.AuthModeSuffix or VariableCatalog.MaxTokensLimitSuffix or VariableCatalog.MiddlewareSuffix
        || suffix.StartsWith(VariableCatalog.HeaderInfix, StringComparison.Ordinal)
        || suffix.StartsWith(VariableCatalog.AliasInfix, StringComparison.Ordinal);

    private static (string, string, string) Row(LayeredVariables variables, string name, string unset)
    {
        // An empty API key is a setting of its own (no credentials); any other blank value counts as unset.
        var found = name.EndsWith(VariableCatalog.ApiKeySuffix, StringComparison.Ordinal) && name != VariableCatalog.ProxyApiKey
            ? variables.TryGet(name, out var value)
            : variables.TryGetNonEmpty(name, out value);
        // The outbound variables are read in either case (https_proxy is the usual spelling on Linux).
        if (!found && IsOutbound(name) && variables.TryGetNonEmpty(name.ToLowerInvariant(), out value))
        {
            name = name.ToLowerInvariant();
            found = true;
        }

        if (!found)
        {
            return (name, unset, "default");
        }

        return (name, Display(name, value.Value), value.Source.Label);
    }

    private static bool IsOutbound(string name) =>
        name is VariableCatalog.HttpsProxy or VariableCatalog.HttpProxy or VariableCatalog.NoProxy or VariableCatalog.SslCertFile or VariableCatalog.SslCertDir;

    /// <summary>
    /// A proxy URL with its credentials masked: the password (<c>http://me:***@proxy:3128</c>), or a lone user part,
    /// which some proxies use as a token (<c>http://***@proxy:3128</c>).
    /// </summary>
    private static string WithoutPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;

        // The user part ends at the authority's last '@' (a password may hold one), and the authority at the first '/'.
        var slash = url.IndexOf('/', start);
        var authorityEnd = slash < 0 ? url.Length : slash;
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - start);
        if (at < 0)
        {
            return url;
        }

        var colon = url.IndexOf(':', start, at - start);
        return colon < 0
            ? string.Concat(url.AsSpan(0, start), "***", url.AsSpan(at))
            : string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at));
    }

    /// <summary>Secrets as fingerprints, one per key; sentinels as written; an empty value as <c>(empty)</c>.</summary>
    internal static string Display(string name, string value)
    {
        if (value.Trim().Length == 0)
        {
            return "(empty)";
        }

        if (name.Equals(VariableCatalog.HttpsProxy, StringComparison.OrdinalIgnoreCase) || name.Equals(VariableCatalog.HttpProxy, StringComparison.OrdinalIgnoreCase))
        {
            return WithoutPassword(value.Trim());
        }

        if (!VariableCatalog.IsSecret(name))
        {
            return value.ReplaceLineEndings("\\n");
        }

        if (!name.EndsWith(VariableCatalog.ApiKeySuffix, StringComparison.Ordinal) || name == VariableCatalog.ProxyApiKey)
        {
            return KeyFingerprint.Of(value.Trim());
        }

        return string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .Select(key => key.StartsWith('!') ? key : KeyFingerprint.Of(key)));
    }
}
