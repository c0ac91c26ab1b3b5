using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// The whole configuration, immutable: built once at startup and replaced as a whole (never edited) when it is
/// reloaded, so a request sees one consistent snapshot from start to end.
/// </summary>
internal sealed record GatewaySettings
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required LogLevel LogLevel { get; init; }

    /// <summary>LOG_FORMAT=json: one JSON object per log line, for log collectors.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Where each model request is dumped for troubleshooting (VDM_DUMP_DIR, --dump); null when not.</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>Gemini thought signatures: on or off, and the bounds of the fallback store.</summary>
    public ThoughtSignatureSettings ThoughtSignatures { get; init; } = ThoughtSignatureSettings.Default;

    /// <summary>How many distinct provider:model names metrics keep apart before counting the rest as "other".</summary>
    public int MetricsMaxModels { get; init; } = 200;

    /// <summary>The key clients must present, or null when vdm is open to any local client.</summary>
    public string? ProxyApiKey { get; init; }

    /// <summary>The provider for model names without a prefix: configured, or the only one; null when ambiguous or none.</summary>
    public string? DefaultProvider { get; init; }

    /// <summary>The deadline for one request's upstream answer, as far as its headers: every attempt, retry and fallback included.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>How long a TCP (and TLS) connection to a provider may take to open.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a provider's answer may go without a byte once its headers came; a healthy stream has no total limit.</summary>
    public TimeSpan StreamReadTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Re-sends of a failed upstream call (not counting the switch to another key).</summary>
    public required int MaxRetries { get; init; }

    /// <summary>The longest <c>retry-after</c> vdm waits out itself; a longer one goes to the client to decide.</summary>
    public TimeSpan RetryAfterMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's backoff, doubled for each further one (with jitter). Not a variable: tests shorten it.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a rejected key rests when the provider gave no <c>retry-after</c>.</summary>
    public TimeSpan KeyCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest request body accepted; larger ones get a 413.</summary>
    public long MaxRequestBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>The largest provider answer vdm buffers to convert (streams are not buffered). Not a variable: tests lower it.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>On SIGTERM, how long in-flight requests and streams may run on before they are ended.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The outbound HTTP proxy and extra trusted certificates for upstream calls.</summary>
    public OutboundNetwork Outbound { get; init; } = OutboundNetwork.Direct;

    public int? MaxTokensLimit { get; init; }

    public int? MinTokensLimit { get; init; }

    public required ImmutableArray<ProviderSettings> Providers { get; init; }

    public required ImmutableArray<AliasDefinition> Aliases { get; init; }

    /// <summary>For messages about a provider name that matched none: <c>configured: openai, poe</c>, or <c>none is configured</c>.</summary>
    public static string DescribeProviders(ImmutableArray<ProviderSettings> providers) =>
        providers.IsEmpty ? "none is configured" : "configured: " + string.Join(", ", providers.Select(provider => provider.Name));

    public ProviderSettings? FindProvider(string name)
    {
        foreach (var provider in Providers)
        {
            if (string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        return null;
    }
}

/// <summary>An alias as written: <c>VDM_ALIAS_FAST=poe:gemini-flash</c> (global) or <c>POE_ALIAS_FAST=gemini-flash</c> (scoped).</summary>
/// <param name="Provider">The provider a scoped alias belongs to; null for a global alias.</param>
/// <param name="Name">The alias, lower-cased.</param>
/// <param name="Target">What it stands for, as written.</param>
internal sealed record AliasDefinition(string? Provider, string Name, string Target);

/// <summary>
/// How upstream connections leave the machine: through <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c> except for the hosts of
/// <c>NO_PROXY</c>, and trusting the certificates of <c>SSL_CERT_FILE</c>/<c>SSL_CERT_DIR</c> besides the system's.
/// Values as configured (validated by the loader).
/// </summary>
internal sealed record OutboundNetwork(string? HttpsProxy, string? HttpProxy, string? NoProxy, string? CaFile, string? CaDirectory)
{
    public static readonly OutboundNetwork Direct = new(null, null, null, null, null);
}

/// <summary>GEMINI_THOUGHT_SIGNATURES_ENABLED, THOUGHT_SIGNATURE_MAX_CACHE_SIZE and THOUGHT_SIGNATURE_CACHE_TTL.</summary>
internal sealed record ThoughtSignatureSettings(bool Enabled, int MaxCacheSize, TimeSpan CacheTtl)
{
    public static ThoughtSignatureSettings Default { get; } = new(true, 10_000, TimeSpan.FromHours(1));
}
