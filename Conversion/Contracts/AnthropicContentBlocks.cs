using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>
/// An Anthropic content block. A block of a <c>type</c> this model does not know (<c>server_tool_use</c>,
/// <c>web_search_tool_result</c>, a future one) is this base record itself, with its type and fields kept, so callers can
/// report it instead of losing it.
/// </summary>
[JsonConverter(typeof(ContentBlockConverter))]
internal record ContentBlock : ITypeTagged
{
    [JsonPropertyOrder(-1)]
    public string? Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>True when the block's <c>type</c> is not one of the records below.</summary>
    [JsonIgnore]
    public bool IsUnrecognized => GetType() == typeof(ContentBlock);
}

/// <summary><c>{"type":"text","text":…}</c>; in requests it may carry <c>cache_control</c>, in responses <c>citations</c> (kept in Extra).</summary>
internal sealed record TextBlock : ContentBlock
{
    public TextBlock() => Type = "text";

    public string Text { get; init; } = "";

    public CacheControl? CacheControl { get; init; }
}

/// <summary><c>{"type":"image","source":{…}}</c> with a base64, URL or file source.</summary>
internal sealed record ImageBlock : ContentBlock
{
    public ImageBlock() => Type = "image";

    public ContentSource? Source { get; init; }

    public CacheControl? CacheControl { get; init; }
}

/// <summary><c>{"type":"document","source":{…}}</c>: a PDF or plain-text document, optionally titled and citable.</summary>
internal sealed record DocumentBlock : ContentBlock
{
    public DocumentBlock() => Type = "document";

    public ContentSource? Source { get; init; }

    public string? Title { get; init; }

    public string? Context { get; init; }

    public CacheControl? CacheControl { get; init; }
}

/// <summary><c>{"type":"tool_use","id","name","input"}</c>: the assistant calls a tool.</summary>
internal sealed record ToolUseBlock : ContentBlock
{
    public ToolUseBlock() => Type = "tool_use";

    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    /// <summary>The tool's arguments as a JSON object, kept raw.</summary>
    public JsonElement Input { get; init; }

    public CacheControl? CacheControl { get; init; }
}

/// <summary><c>{"type":"tool_result","tool_use_id","content","is_error"}</c>: the user's answer to a tool call.</summary>
internal sealed record ToolResultBlock : ContentBlock
{
    public ToolResultBlock() => Type = "tool_result";

    public string ToolUseId { get; init; } = "";

    /// <summary>A string, or text and image blocks.</summary>
    [JsonConverter(typeof(StringOrConverter<List<ContentBlock>>))]
    public StringOr<List<ContentBlock>>? Content { get; init; }

    public bool? IsError { get; init; }

    public CacheControl? CacheControl { get; init; }
}

/// <summary><c>{"type":"thinking","thinking","signature"}</c>: extended-thinking text, signed so it can be sent back.</summary>
internal sealed record ThinkingBlock : ContentBlock
{
    public ThinkingBlock() => Type = "thinking";

    public string Thinking { get; init; } = "";

    public string? Signature { get; init; }
}

/// <summary><c>{"type":"redacted_thinking","data"}</c>: thinking the model returns encrypted.</summary>
internal sealed record RedactedThinkingBlock : ContentBlock
{
    public RedactedThinkingBlock() => Type = "redacted_thinking";

    public string Data { get; init; } = "";
}

/// <summary>The <c>source</c> of an image or document: <c>base64</c> (<c>media_type</c>, <c>data</c>), <c>url</c>, <c>text</c> or <c>file</c>.</summary>
internal sealed record ContentSource
{
    public string Type { get; init; } = "base64";

    public string? MediaType { get; init; }

    public string? Data { get; init; }

    public string? Url { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Maps a content block's <c>type</c> to its record.</summary>
internal sealed class ContentBlockConverter : TypeTaggedConverter<ContentBlock>
{
    protected override Type? KnownType(string type) => type switch
    {
        "text" => typeof(TextBlock),
        "image" => typeof(ImageBlock),
        "document" => typeof(DocumentBlock),
        "tool_use" => typeof(ToolUseBlock),
        "tool_result" => typeof(ToolResultBlock),
        "thinking" => typeof(ThinkingBlock),
        "redacted_thinking" => typeof(RedactedThinkingBlock),
        _ => null,
    };

    protected override ContentBlock Unrecognized(string? type, Dictionary<string, JsonElement> fields) =>
        new() { Type = type, Extra = fields };
}
