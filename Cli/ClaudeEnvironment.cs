using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>One variable <c>vdm wrap claude</c> sets for claude: its value, how <c>--dry-run</c> shows it, and why.</summary>
internal sealed record ClaudeVariable(string Name, string Value, string Shown, string Reason);

/// <summary>
/// The variables <c>vdm wrap claude</c> gives claude on top of the user's own environment. Only
/// <c>ANTHROPIC_BASE_URL</c> is replaced (pointing claude at vdm is the point); everything else is added only where the
/// user has set nothing, so their own key (forwarded to <c>!PASSTHRU</c> providers) and headers survive. The original
/// overwrote <c>ANTHROPIC_API_KEY</c> with a fixed string, which broke both <c>PROXY_API_KEY</c> and <c>!PASSTHRU</c>.
/// </summary>
internal static class ClaudeEnvironment
{
    public const string BaseUrl = "ANTHROPIC_BASE_URL";
    public const string ApiKey = "ANTHROPIC_API_KEY";
    public const string AuthToken = "ANTHROPIC_AUTH_TOKEN";
    public const string CustomHeaders = "ANTHROPIC_CUSTOM_HEADERS";

    /// <summary>
    /// What claude sends when the user has no key: vdm's static keys do the real work. It names its origin so that a
    /// provider refusing it (a <c>!PASSTHRU</c> provider needs the user's own key) makes the cause plain.
    /// </summary>
    public const string PlaceholderToken = "vdm-wrap-no-key";

    public static IReadOnlyList<ClaudeVariable> For(IReadOnlyDictionary<string, string> user, string gatewayUrl, string? proxyApiKey)
    {
        ArgumentNullException.ThrowIfNull(user);
        var variables = new List<ClaudeVariable>
        {
            new(BaseUrl, gatewayUrl, gatewayUrl,
                user.TryGetValue(BaseUrl, out var previous) && previous.Length > 0 ? $"replaces your {previous}" : "the gateway"),
        };

        // An empty value counts as set: ANTHROPIC_API_KEY= is how a user keeps their Claude login in use. The token,
        // not the key: Claude Code asks once before it uses an ANTHROPIC_API_KEY from the environment, not a token.
        if (!user.ContainsKey(ApiKey) && !user.ContainsKey(AuthToken))
        {
            variables.Add(new(AuthToken, PlaceholderToken, PlaceholderToken,
                $"placeholder, so claude does not ask to log in: neither {ApiKey} nor {AuthToken} is set"));
        }

        // x-vdm-proxy-key, not x-api-key or Bearer: those stay free for the user's own key (!PASSTHRU).
        if (!string.IsNullOrEmpty(proxyApiKey))
        {
            var line = $"{ClientAuth.ProxyKeyHeader}: {proxyApiKey}";
            var shownLine = $"{ClientAuth.ProxyKeyHeader}: {KeyFingerprint.Of(proxyApiKey)}";
            var existing = user.TryGetValue(CustomHeaders, out var headers) ? headers.TrimEnd('\r', '\n') : "";
            if (existing.Length == 0)
            {
                variables.Add(new(CustomHeaders, line, shownLine, "PROXY_API_KEY"));
            }
            else if (!HasHeader(existing, ClientAuth.ProxyKeyHeader))
            {
                var count = existing.Split('\n').Length;
                variables.Add(new(CustomHeaders, existing + "\n" + line, $"<your {count} line{(count == 1 ? "" : "s")}>\\n{shownLine}",
                    "PROXY_API_KEY, after your own headers"));
            }
        }

        return variables;
    }

    /// <summary>Whether a <c>Name: value</c> list (one per line, as Claude Code reads it) already names <paramref name="name"/>.</summary>
    private static bool HasHeader(string headers, string name)
    {
        foreach (var line in headers.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
