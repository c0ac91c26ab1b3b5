using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>The body of an Anthropic <c>POST /v1/messages</c> (and <c>/v1/messages/count_tokens</c>) request.</summary>
internal sealed record MessagesRequest
{
    public string Model { get; init; } = "";

    /// <summary>Required by <c>/v1/messages</c>; absent from a token-counting request.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>A string, or text blocks (which may carry <c>cache_control</c>).</summary>
    [JsonConverter(typeof(StringOrConverter<List<ContentBlock>>))]
    public StringOr<List<ContentBlock>>? System { get; init; }

    public List<Message> Messages { get; init; } = [];

    public List<Tool>? Tools { get; init; }

    public ToolChoice? ToolChoice { get; init; }

    public ThinkingConfig? Thinking { get; init; }

    public List<string>? StopSequences { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? TopK { get; init; }

    public bool? Stream { get; init; }

    public RequestMetadata? Metadata { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One turn of the conversation: <c>user</c> or <c>assistant</c>, with text or content blocks.</summary>
internal sealed record Message
{
    public string Role { get; init; } = "";

    [JsonConverter(typeof(StringOrConverter<List<ContentBlock>>))]
    public StringOr<List<ContentBlock>>? Content { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A tool the model may call: a client tool with an <c>input_schema</c>, or a typed server tool (<c>web_search_20250305</c>, …).</summary>
internal sealed record Tool
{
    /// <summary>Absent or <c>custom</c> for client tools; a versioned name for Anthropic's server tools.</summary>
    public string? Type { get; init; }

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>The JSON Schema of the tool's input, kept as raw JSON.</summary>
    public JsonElement? InputSchema { get; init; }

    public CacheControl? CacheControl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>How the model must use tools: <c>auto</c>, <c>any</c>, <c>tool</c> (with <see cref="Name"/>) or <c>none</c>.</summary>
internal sealed record ToolChoice
{
    public string Type { get; init; } = "auto";

    public string? Name { get; init; }

    public bool? DisableParallelToolUse { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Extended thinking: <c>enabled</c> with a <c>budget_tokens</c>, <c>disabled</c>, or <c>adaptive</c>.</summary>
internal sealed record ThinkingConfig
{
    public string Type { get; init; } = "enabled";

    public int? BudgetTokens { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The request's <c>metadata</c>: an opaque end-user id.</summary>
internal sealed record RequestMetadata
{
    public string? UserId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A prompt-caching breakpoint: <c>{"type":"ephemeral"}</c>, optionally with a <c>ttl</c> (<c>5m</c>, <c>1h</c>).</summary>
internal sealed record CacheControl
{
    public string Type { get; init; } = "ephemeral";

    public string? Ttl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
