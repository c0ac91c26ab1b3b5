using Vdm.Conversion;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// The error types metrics count by: Anthropic's, OpenAI's few others, and <c>cancelled</c>. A provider's stream or
/// body may name any type it likes; anything unknown counts as <c>other</c>, so that a label set stays bounded.
/// </summary>
internal static class ErrorTypes
{
    public const string Cancelled = "cancelled";
    public const string Other = "other";

    public static string Normalize(string? type) => type switch
    {
        AnthropicErrorTypes.InvalidRequest or AnthropicErrorTypes.Authentication or AnthropicErrorTypes.Billing
            or AnthropicErrorTypes.Permission or AnthropicErrorTypes.NotFound or AnthropicErrorTypes.RequestTooLarge
            or AnthropicErrorTypes.RateLimit or AnthropicErrorTypes.Api or AnthropicErrorTypes.Timeout
            or AnthropicErrorTypes.Overloaded or OpenAIErrorTypes.InsufficientQuota or Cancelled => type,
        "server_error" => AnthropicErrorTypes.Api,
        _ => Other,
    };
}
