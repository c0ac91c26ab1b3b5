using System.Collections.Immutable;
using Vdm.Conversion;

namespace Vdm.Gateway.Configuration;

/// <summary>How vdm authenticates to a provider.</summary>
internal enum ProviderAuth
{
    /// <summary>One or more configured keys, rotated.</summary>
    Static,

    /// <summary><c>!PASSTHRU</c>: the client's own key is forwarded.</summary>
    Passthrough,

    /// <summary><c>{NAME}_API_KEY=</c> empty: no credentials are sent (local servers).</summary>
    None,
}

/// <summary>One upstream provider, as configured: where it is, what it speaks and how to authenticate.</summary>
/// <param name="Name">Lower-cased provider name, the prefix in <c>name:model</c>.</param>
/// <param name="BaseUrl">The API root, without a trailing slash.</param>
/// <param name="Keys">The static keys, in rotation order; empty unless <paramref name="Auth"/> is <see cref="ProviderAuth.Static"/>.</param>
/// <param name="ApiVersion">Azure OpenAI's <c>api-version</c>; null for every other provider.</param>
/// <param name="Headers">Extra headers for every upstream call: the global ones merged with the provider's own, which win.</param>
/// <param name="MaxTokensLimit">Upper bound for <c>max_tokens</c>: the provider's own, else the global one, else none.</param>
internal sealed record ProviderSettings(
    string Name,
    ApiFormat Format,
    Uri BaseUrl,
    ProviderAuth Auth,
    ImmutableArray<string> Keys,
    string? ApiVersion,
    ImmutableArray<KeyValuePair<string, string>> Headers,
    int? MaxTokensLimit)
{
    /// <summary>The middlewares this provider's requests run through, in order (OpenAI-format providers only).</summary>
    public ImmutableArray<MiddlewareSelection> Middleware { get; init; } = [];

    /// <summary>Where <see cref="BaseUrl"/> came from: a layer's label (env, ./.env, …) or <c>built-in</c>.</summary>
    public string BaseUrlSource { get; init; } = "built-in";

    public string FormatName => Format == ApiFormat.Anthropic ? "anthropic" : "openai";

    public string AuthModeName => Auth switch
    {
        ProviderAuth.Passthrough => "passthrough",
        ProviderAuth.None => "none",
        _ => "static",
    };

    /// <summary>The keys as people may see them: fingerprints, or the sentinel.</summary>
    public ImmutableArray<string> KeyFingerprints => Auth switch
    {
        ProviderAuth.Passthrough => [VariableCatalog.PassthroughSentinel],
        _ => [.. Keys.Select(KeyFingerprint.Of)],
    };
}
