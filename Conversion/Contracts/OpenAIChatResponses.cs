using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>An OpenAI non-streaming response, <c>"object":"chat.completion"</c>.</summary>
internal sealed record ChatCompletion
{
    public string Id { get; init; } = "";

    public string Object { get; init; } = "chat.completion";

    public long Created { get; init; }

    public string Model { get; init; } = "";

    public List<ChatChoice> Choices { get; init; } = [];

    public CompletionUsage? Usage { get; init; }

    public string? SystemFingerprint { get; init; }

    public string? ServiceTier { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One choice of a response: the assistant message and why generation stopped.</summary>
internal sealed record ChatChoice
{
    public int Index { get; init; }

    public ChatMessage Message { get; init; } = new();

    /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>, <c>function_call</c>.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Also kept here: <c>logprobs</c>, Azure's <c>content_filter_results</c>.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One streamed chunk, <c>"object":"chat.completion.chunk"</c>; the usage chunk has empty (vLLM: null) <c>choices</c>.</summary>
internal sealed record ChatCompletionChunk
{
    public string Id { get; init; } = "";

    public string Object { get; init; } = "chat.completion.chunk";

    public long Created { get; init; }

    public string Model { get; init; } = "";

    public List<ChunkChoice>? Choices { get; init; }

    public CompletionUsage? Usage { get; init; }

    public string? SystemFingerprint { get; init; }

    public string? ServiceTier { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>One choice of a chunk: a delta and, on its last chunk, the finish reason.</summary>
internal sealed record ChunkChoice
{
    public int Index { get; init; }

    public ChunkDelta Delta { get; init; } = new();

    public string? FinishReason { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>delta</c> of a chunk choice: any of role, text, refusal, reasoning and tool-call fragments.</summary>
internal sealed record ChunkDelta
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public string? Refusal { get; init; }

    /// <summary>DeepSeek, vLLM/SGLang, Qwen, GLM.</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>OpenRouter (which may also send <c>reasoning_details</c>, kept in Extra).</summary>
    public string? Reasoning { get; init; }

    public List<ChatToolCall>? ToolCalls { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Token counts of a completion.</summary>
internal sealed record CompletionUsage
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int TotalTokens { get; init; }

    public PromptTokensDetails? PromptTokensDetails { get; init; }

    public CompletionTokensDetails? CompletionTokensDetails { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The breakdown of the prompt tokens; <c>cached_tokens</c> is what prompt caching served.</summary>
internal sealed record PromptTokensDetails
{
    public int? CachedTokens { get; init; }

    public int? AudioTokens { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The breakdown of the completion tokens; <c>reasoning_tokens</c> are included in <c>completion_tokens</c>.</summary>
internal sealed record CompletionTokensDetails
{
    public int? ReasoningTokens { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An OpenAI error body <c>{"error":{…}}</c>; also the in-band error chunk some providers stream.</summary>
internal sealed record OpenAIErrorResponse
{
    public OpenAIError Error { get; init; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>error</c> object: a message, a type, the offending <c>param</c> and a <c>code</c>.</summary>
internal sealed record OpenAIError
{
    public string Message { get; init; } = "";

    public string? Type { get; init; }

    public string? Param { get; init; }

    /// <summary>A string for OpenAI (<c>invalid_api_key</c>, <c>content_filter</c>), a number for some compatible servers.</summary>
    public JsonElement? Code { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
