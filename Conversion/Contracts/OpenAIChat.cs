using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>The body of an OpenAI <c>POST /v1/chat/completions</c> request.</summary>
internal sealed record ChatCompletionRequest
{
    public string Model { get; init; } = "";

    public List<ChatMessage> Messages { get; init; } = [];

    public List<ChatTool>? Tools { get; init; }

    /// <summary><c>none</c>, <c>auto</c> or <c>required</c> as a string, or a named function.</summary>
    [JsonConverter(typeof(StringOrConverter<ChatToolChoice>))]
    public StringOr<ChatToolChoice>? ToolChoice { get; init; }

    /// <summary>Deprecated by OpenAI in favour of <see cref="MaxCompletionTokens"/>, but what most compatible servers read.</summary>
    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    /// <summary>One stop string, or up to four.</summary>
    [JsonConverter(typeof(StringOrConverter<List<string>>))]
    public StringOr<List<string>>? Stop { get; init; }

    public bool? Stream { get; init; }

    public StreamOptions? StreamOptions { get; init; }

    public bool? ParallelToolCalls { get; init; }

    /// <summary><c>minimal</c>, <c>low</c>, <c>medium</c> or <c>high</c> (reasoning models).</summary>
    public string? ReasoningEffort { get; init; }

    public string? User { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>
/// A chat message of any role (<c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>); each role uses
/// its own subset of the fields. Also the <c>message</c> of a response choice.
/// </summary>
internal sealed record ChatMessage
{
    public string Role { get; init; } = "";

    /// <summary>Text, or content parts; null on an assistant message that only calls tools.</summary>
    [JsonConverter(typeof(StringOrConverter<List<ChatContentPart>>))]
    public StringOr<List<ChatContentPart>>? Content { get; init; }

    public string? Name { get; init; }

    /// <summary>Assistant: the tools it called.</summary>
    public List<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>Tool: the call this message answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Assistant: the model's reasoning (DeepSeek, vLLM, Qwen, GLM; not OpenAI itself).</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>Assistant (response): the model's refusal message.</summary>
    public string? Refusal { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A content part: <c>text</c>, <c>image_url</c>, or another kind (<c>input_audio</c>, <c>file</c>) kept in Extra.</summary>
internal sealed record ChatContentPart
{
    public string Type { get; init; } = "text";

    public string? Text { get; init; }

    public ImageUrl? ImageUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>image_url</c> of a content part: an https or <c>data:</c> URL and an optional <c>detail</c>.</summary>
internal sealed record ImageUrl
{
    public string Url { get; init; } = "";

    public string? Detail { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A tool offered to the model: <c>{"type":"function","function":{…}}</c>.</summary>
internal sealed record ChatTool
{
    public string Type { get; init; } = "function";

    public FunctionDefinition Function { get; init; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A function's name, description and JSON Schema <c>parameters</c>.</summary>
internal sealed record FunctionDefinition
{
    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public JsonElement? Parameters { get; init; }

    public bool? Strict { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The object form of <c>tool_choice</c>: <c>{"type":"function","function":{"name"}}</c>.</summary>
internal sealed record ChatToolChoice
{
    public string Type { get; init; } = "function";

    public FunctionCall? Function { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A tool call, whole (messages, responses) or as a stream fragment (<see cref="Index"/> set; id and name on the first only).</summary>
internal sealed record ChatToolCall
{
    /// <summary>Stream fragments only: which call of the message this fragment belongs to.</summary>
    public int? Index { get; init; }

    public string? Id { get; init; }

    public string? Type { get; init; }

    public FunctionCall? Function { get; init; }

    /// <summary>Also kept here: Gemini's <c>extra_content.google.thought_signature</c>.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A function's <c>name</c> and its <c>arguments</c> as a JSON string (possibly invalid, or a fragment when streaming).</summary>
internal sealed record FunctionCall
{
    public string? Name { get; init; }

    public string? Arguments { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary><c>stream_options</c>: <c>include_usage</c> asks for a final chunk with the usage.</summary>
internal sealed record StreamOptions
{
    public bool? IncludeUsage { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
