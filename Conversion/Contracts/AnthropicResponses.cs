using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>An Anthropic Messages response (<c>"type":"message"</c>); also the <c>message</c> of a <c>message_start</c> event.</summary>
internal sealed record MessageResponse
{
    public string Id { get; init; } = "";

    public string Type { get; init; } = "message";

    public string Role { get; init; } = "assistant";

    public string Model { get; init; } = "";

    public List<ContentBlock> Content { get; init; } = [];

    /// <summary><c>end_turn</c>, <c>max_tokens</c>, <c>stop_sequence</c>, <c>tool_use</c>, <c>pause_turn</c>, <c>refusal</c>,
    /// <c>model_context_window_exceeded</c>; null until the stream's <c>message_delta</c>.</summary>
    // Anthropic writes these two as explicit nulls; clients read them either way, but the wire shape is kept.
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; init; }

    public Usage Usage { get; init; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Token counts of a message. Total input is <c>input_tokens + cache_creation_input_tokens + cache_read_input_tokens</c>.</summary>
internal sealed record Usage
{
    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public int? CacheCreationInputTokens { get; init; }

    public int? CacheReadInputTokens { get; init; }

    /// <summary>Also kept here: <c>cache_creation</c>, <c>server_tool_use</c>, <c>service_tier</c>.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An Anthropic error body: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.</summary>
internal sealed record ErrorResponse
{
    public string Type { get; init; } = "error";

    public ApiError Error { get; init; } = new();

    public string? RequestId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>error</c> object of an Anthropic error body or <c>error</c> stream event.</summary>
internal sealed record ApiError
{
    /// <summary><c>invalid_request_error</c>, <c>authentication_error</c>, <c>permission_error</c>, <c>not_found_error</c>,
    /// <c>request_too_large</c>, <c>rate_limit_error</c>, <c>timeout_error</c>, <c>api_error</c>, <c>overloaded_error</c>, …</summary>
    public string Type { get; init; } = "api_error";

    public string Message { get; init; } = "";

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
