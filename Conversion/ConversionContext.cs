namespace Vdm.Conversion;

/// <summary>What an adapter needs to know about the routed request besides its body.</summary>
/// <param name="RequestedModel">The model the client asked for (an alias or <c>provider:model</c>), for logs and responses.</param>
/// <param name="UpstreamModel">The provider's own model name, written into the upstream request.</param>
/// <param name="Provider">The provider's name.</param>
/// <param name="MaxTokensLimit">Upper bound for <c>max_tokens</c> on converted requests; null for none.</param>
/// <param name="MinTokensLimit">Lower bound for <c>max_tokens</c> on converted requests; null for none.</param>
internal sealed record ConversionContext(
    string RequestedModel,
    string UpstreamModel,
    string Provider,
    int? MaxTokensLimit = null,
    int? MinTokensLimit = null)
{
    /// <summary>What the provider accepts beyond the common core; the built-in profile for the provider and model unless set.</summary>
    public Request.ProviderProfile Profile { get; init; } = Request.ProviderProfile.For(Provider, UpstreamModel);

    /// <summary>
    /// Tool names shortened for the upstream, to be mapped back in its responses. The request conversion fills it,
    /// which is why it is not read-only: one context travels with one request from its conversion to its response.
    /// </summary>
    public ToolNameMap ToolNames { get; init; } = new();

    /// <summary>
    /// How long a translated stream may stay silent before vdm sends the client a <c>ping</c> event, so that Claude
    /// Code's idle timers (and any proxy between) do not give up on a model that is thinking; null for never.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>The clock for <see cref="KeepAliveInterval"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The middleware hooks of this request, or null when no middleware applies (the common, free case).</summary>
    public ConversionHooks? Hooks { get; init; }

    /// <summary>What the conversion could not carry over, one line each, for the gateway to log (never silently dropped).</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>Why a body could not be converted: an Anthropic error type and a message for the client.</summary>
/// <param name="Status">
/// The HTTP status to answer with when the failure carries one (an upstream error reported inside a 200); null means
/// the status of <paramref name="Type"/>: 400 for an invalid request, 502 for an upstream that answered nonsense.
/// </param>
internal readonly record struct ConversionError(string Type, string Message, int? Status = null)
{
    public static ConversionError InvalidRequest(string message) => new(AnthropicErrorTypes.InvalidRequest, message);
}
