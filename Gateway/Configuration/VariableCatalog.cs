using System.Collections.Immutable;

namespace Vdm.Gateway.Configuration;

/// <summary>One variable vdm reads: its name (a pattern where it has <c>{NAME}</c> parts), default, meaning and example.</summary>
/// <param name="Default">The built-in value, or null where unset means "off" (then <paramref name="Unset"/> says what that does).</param>
internal sealed record VariableSpec(string Group, string Name, string? Default, string Description, string Example, string? Unset = null)
{
    public bool IsPattern => Name.Contains('{', StringComparison.Ordinal);

    /// <summary>How the default reads in tables and help.</summary>
    public string DefaultText => Default is null ? Unset ?? "unset" : Default.Length == 0 ? "empty" : Default;
}

/// <summary>
/// The one list of every variable vdm reads, with its default and meaning. <c>.env.example</c> and the README's table
/// are generated from it (<c>vdm config env</c>) and a test keeps both in step with it.
/// </summary>
internal static class VariableCatalog
{
    public const string Host = "HOST";
    public const string Port = "PORT";
    public const string LogLevel = "LOG_LEVEL";
    public const string LogFormat = "LOG_FORMAT";
    public const string DumpDirectory = "VDM_DUMP_DIR";
    public const string MetricsMaxModels = "METRICS_MAX_MODELS";
    public const string Middleware = "VDM_MIDDLEWARE";
    public const string ThoughtSignaturesEnabled = "GEMINI_THOUGHT_SIGNATURES_ENABLED";
    public const string ThoughtSignatureCacheSize = "THOUGHT_SIGNATURE_MAX_CACHE_SIZE";
    public const string ThoughtSignatureCacheTtl = "THOUGHT_SIGNATURE_CACHE_TTL";
    public const string ProxyApiKey = "PROXY_API_KEY";
    public const string DefaultProvider = "VDM_DEFAULT_PROVIDER";
    public const string RequestTimeout = "REQUEST_TIMEOUT";
    public const string MaxRetries = "MAX_RETRIES";
    public const string ConnectTimeout = "STREAMING_CONNECT_TIMEOUT_SECONDS";
    public const string StreamReadTimeout = "STREAMING_READ_TIMEOUT_SECONDS";
    public const string RetryAfterMax = "RETRY_AFTER_MAX_SECONDS";
    public const string KeyCooldown = "KEY_COOLDOWN_SECONDS";
    public const string MaxRequestBytes = "MAX_REQUEST_BYTES";
    public const string ShutdownTimeout = "SHUTDOWN_TIMEOUT_SECONDS";
    public const string HttpsProxy = "HTTPS_PROXY";
    public const string HttpProxy = "HTTP_PROXY";
    public const string NoProxy = "NO_PROXY";
    public const string SslCertFile = "SSL_CERT_FILE";
    public const string SslCertDir = "SSL_CERT_DIR";
    public const string MaxTokensLimit = "MAX_TOKENS_LIMIT";
    public const string MinTokensLimit = "MIN_TOKENS_LIMIT";
    public const string GlobalHeaderPrefix = "CUSTOM_HEADER_";
    public const string GlobalAliasPrefix = "VDM_ALIAS_";

    public const string ApiKeySuffix = "_API_KEY";
    public const string BaseUrlSuffix = "_BASE_URL";
    public const string ApiFormatSuffix = "_API_FORMAT";
    public const string ApiVersionSuffix = "_API_VERSION";
    public const string AuthModeSuffix = "_AUTH_MODE";
    public const string MaxTokensLimitSuffix = "_MAX_TOKENS_LIMIT";
    public const string MiddlewareSuffix = "_MIDDLEWARE";
    public const string HeaderInfix = "_CUSTOM_HEADER_";
    public const string AliasInfix = "_ALIAS_";

    public const string PassthroughSentinel = "!PASSTHRU";
    public const string OAuthSentinel = "!OAUTH";

    public static readonly ImmutableArray<VariableSpec> All =
    [
        new("Server", Host, "127.0.0.1",
            "Address to listen on: an IP address or localhost. 0.0.0.0 (or ::) exposes vdm to the network.",
            "127.0.0.1"),
        new("Server", Port, "8082",
            "Port to listen on, 0-65535; 0 picks a free port (the banner prints it).",
            "8082"),
        new("Server", LogLevel, "INFO",
            "DEBUG, INFO, WARNING, ERROR or CRITICAL (.NET names such as Information and Trace work too). Logs go to stderr.",
            "INFO"),
        new("Server", LogFormat, "text",
            "text (one readable line per event) or json (one JSON object per line: timestamp, level, category, message and its fields).",
            "json"),
        new("Server", DumpDirectory, null,
            "For troubleshooting: a directory where each model request is written as one file named by its request id: the " +
            "client's request, each converted upstream request and response, and the client's response, with keys redacted.",
            "/tmp/vdm-dump", Unset: "unset: nothing is written"),
        new("Server", MetricsMaxModels, "200",
            "How many distinct provider:model names metrics keep apart; later ones count as model \"other\" (clients choose model names).",
            "200"),
        new("Server", ProxyApiKey, null,
            "When set, clients must send this key (x-api-key or Authorization: Bearer) to use vdm.",
            "choose-a-long-random-string", Unset: "unset: no client key required"),
        new("Server", MaxRequestBytes, "33554432",
            "The largest request body accepted, in bytes (32 MB); a larger one is answered 413 request_too_large.",
            "33554432"),
        new("Server", ShutdownTimeout, "8",
            "On SIGTERM or Ctrl+C: seconds in-flight requests and streams may run on; streams still open then end with an error event.",
            "8"),

        new("Routing", DefaultProvider, null,
            "Provider for model names without a provider: prefix.",
            "openai", Unset: "the only provider, if there is exactly one"),
        new("Routing", GlobalAliasPrefix + "{NAME}", null,
            "A global alias: VDM_ALIAS_FAST=poe:gemini-flash lets clients ask for model \"fast\".",
            "poe:gemini-flash", Unset: "none"),
        new("Routing", "{PROVIDER}" + AliasInfix + "{NAME}", null,
            "An alias scoped to one provider: POE_ALIAS_HAIKU=gemini-flash.",
            "gemini-flash", Unset: "none"),

        new("Upstream", RequestTimeout, "600",
            "Seconds until a provider's response headers, for the whole request: every retry and fallback included " +
            "(reasoning models answer late). A stream, once started, has no total limit.",
            "600"),
        new("Upstream", ConnectTimeout, "30",
            "Seconds a connection to a provider may take to open (TCP and TLS).",
            "30"),
        new("Upstream", StreamReadTimeout, "300",
            "Seconds a provider's answer may go without sending a byte, once its headers came; then the stream ends with an error event.",
            "300"),
        new("Upstream", MaxRetries, "2",
            "Re-sends of a failed upstream call (connect failures, 408, 409, 429, 500, 502, 503, 504, 529), with exponential " +
            "backoff and jitter, before anything reaches the client. Switching to another key is immediate and not counted.",
            "2"),
        new("Upstream", RetryAfterMax, "30",
            "The longest retry-after (seconds) vdm waits out before retrying; a longer one is passed to the client at once.",
            "30"),
        new("Upstream", KeyCooldown, "60",
            "Seconds a key rests after a 401/402/403/429 that carried no retry-after, while the provider's other keys are used.",
            "60"),
        new("Upstream", MaxTokensLimit, null,
            "Upper bound for max_tokens sent to OpenAI-format providers. Never applied to Anthropic passthrough.",
            "65536", Unset: "unset: no cap"),
        new("Upstream", MinTokensLimit, null,
            "Lower bound for max_tokens sent to OpenAI-format providers. Never applied to Anthropic passthrough.",
            "1024", Unset: "unset: no floor"),
        new("Upstream", GlobalHeaderPrefix + "{HEADER}", null,
            "An extra header sent to every provider; _ in the name becomes - (CUSTOM_HEADER_X_TEAM=core sends X-TEAM: core).",
            "core", Unset: "none"),

        new("Middleware", Middleware, "gemini-thought-signatures",
            "The middlewares every OpenAI-format provider's requests run through, in order; an entry may name models " +
            "(gemini-thought-signatures:google/gemini-*); none for none.",
            "gemini-thought-signatures"),
        new("Middleware", "{NAME}" + MiddlewareSuffix, null,
            "The middlewares for this provider instead of VDM_MIDDLEWARE; none for none.",
            "gemini-thought-signatures:gemini-*", Unset: "VDM_MIDDLEWARE"),
        new("Middleware", ThoughtSignaturesEnabled, "true",
            "Round-trip Gemini's thought signatures on tool calls (carried in the tool-use ids Claude Code echoes); false takes " +
            "gemini-thought-signatures out wherever it is listed.",
            "true"),
        new("Middleware", ThoughtSignatureCacheSize, "10000",
            "Signatures kept in memory for streamed tool calls whose id went out before their signature; past it, the oldest tenth goes.",
            "10000"),
        new("Middleware", ThoughtSignatureCacheTtl, "3600",
            "Seconds such a signature is kept.",
            "3600"),

        new("Outbound network", HttpsProxy, null,
            "Proxy for https:// providers, such as http://proxy.corp:3128 (https_proxy works too). Loopback providers never use a proxy.",
            "http://proxy.example:3128", Unset: "unset: direct"),
        new("Outbound network", HttpProxy, null,
            "Proxy for http:// providers (http_proxy works too).",
            "http://proxy.example:3128", Unset: "unset: direct"),
        new("Outbound network", NoProxy, null,
            "Hosts reached directly: comma-separated names (a name covers its subdomains; .example.com too), IP addresses, " +
            "CIDR ranges, host:port, or * for all (no_proxy works too).",
            "internal.example,10.0.0.0/8", Unset: "none"),
        new("Outbound network", SslCertFile, null,
            "A PEM file of CA certificates to trust for providers, besides the system's (a corporate TLS-inspecting proxy). " +
            "Exported on Linux it is OpenSSL's own trust store, left to it; set it in .env to add to the system's.",
            "/etc/ssl/corp-ca.pem", Unset: "the system's trust store only"),
        new("Outbound network", SslCertDir, null,
            "A directory of CA certificates (.pem, .crt, .cer, or OpenSSL hash names such as 1a2b3c4d.0) to trust for " +
            "providers, besides the system's.",
            "/etc/ssl/corp-certs", Unset: "the system's trust store only"),

        new("Providers", "{NAME}" + ApiKeySuffix, null,
            "Registers provider {name} (lower-cased). One key, several keys separated by spaces (rotated), " +
            "!PASSTHRU (forward the client's own key), or empty (a local server that needs no key).",
            "sk-your-key", Unset: "the provider is not registered"),
        new("Providers", "{NAME}" + BaseUrlSuffix, null,
            "The provider's API root, such as https://api.openai.com/v1. Built in for openai, anthropic, poe, " +
            "openrouter, gemini, deepseek, groq, mistral, xai, together, fireworks, cerebras, ollama and lmstudio.",
            "https://api.example.com/v1", Unset: "the built-in URL; required for other providers"),
        new("Providers", "{NAME}" + ApiFormatSuffix, null,
            "openai (vdm converts to Chat Completions) or anthropic (vdm relays the Messages API untouched).",
            "openai", Unset: "openai; anthropic for the anthropic provider"),
        new("Providers", "{NAME}" + ApiVersionSuffix, null,
            "Azure OpenAI's api-version; setting it makes the provider an Azure deployment.",
            "2024-10-21", Unset: "unset: not Azure"),
        new("Providers", "{NAME}" + AuthModeSuffix, null,
            "passthrough, the same as {NAME}_API_KEY=!PASSTHRU. (oauth is not supported yet.)",
            "passthrough", Unset: "keys as given"),
        new("Providers", "{NAME}" + MaxTokensLimitSuffix, null,
            "Upper bound for max_tokens sent to this provider (Claude Code asks for 32k-64k, which many models reject).",
            "8192", Unset: "MAX_TOKENS_LIMIT"),
        new("Providers", "{NAME}" + HeaderInfix + "{HEADER}", null,
            "An extra header for this provider only; it wins over CUSTOM_HEADER_{HEADER}.",
            "my-team", Unset: "none"),
    ];

    /// <summary>The built-in values, as the lowest configuration layer.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } =
        All.Where(spec => spec.Default is not null && !spec.IsPattern)
           .ToDictionary(spec => spec.Name, spec => spec.Default!, StringComparer.Ordinal);

    /// <summary>
    /// True for variables whose values are secrets, shown only as fingerprints: API keys, and custom headers whose
    /// names say they carry credentials (X-API-KEY, AUTHORIZATION, …).
    /// </summary>
    public static bool IsSecret(string name)
    {
        if (name.EndsWith(ApiKeySuffix, StringComparison.Ordinal))
        {
            return true;
        }

        var header = name.IndexOf(GlobalHeaderPrefix, StringComparison.Ordinal);
        if (header < 0)
        {
            return false;
        }

        var headerName = name.AsSpan(header + GlobalHeaderPrefix.Length);
        return headerName.Contains("KEY", StringComparison.Ordinal)
            || headerName.Contains("TOKEN", StringComparison.Ordinal)
            || headerName.Contains("SECRET", StringComparison.Ordinal)
            || headerName.Contains("AUTH", StringComparison.Ordinal)
            || headerName.Contains("PASSWORD", StringComparison.Ordinal)
            || headerName.Contains("COOKIE", StringComparison.Ordinal);
    }
}
