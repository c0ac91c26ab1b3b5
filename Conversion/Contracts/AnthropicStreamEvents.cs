using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>
/// One Anthropic Messages stream event (the SSE <c>data</c>; its <c>type</c> equals the SSE <c>event</c> name). An event of a
/// <c>type</c> this model does not know is this base record itself, with its type and fields kept.
/// </summary>
[JsonConverter(typeof(MessageStreamEventConverter))]
internal record MessageStreamEvent : ITypeTagged
{
    [JsonPropertyOrder(-1)]
    public string? Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>True when the event's <c>type</c> is not one of the records below.</summary>
    [JsonIgnore]
    public bool IsUnrecognized => GetType() == typeof(MessageStreamEvent);
}

/// <summary><c>message_start</c>: the message with empty content and the input usage so far.</summary>
internal sealed record MessageStartEvent : MessageStreamEvent
{
    public MessageStartEvent() => Type = "message_start";

    public MessageResponse Message { get; init; } = new();
}

/// <summary><c>content_block_start</c>: block <see cref="Index"/> of the final content begins (text empty, tool input <c>{}</c>).</summary>
internal sealed record ContentBlockStartEvent : MessageStreamEvent
{
    public ContentBlockStartEvent() => Type = "content_block_start";

    public int Index { get; init; }

    public ContentBlock ContentBlock { get; init; } = new();
}

/// <summary><c>content_block_delta</c>: a fragment of block <see cref="Index"/>.</summary>
internal sealed record ContentBlockDeltaEvent : MessageStreamEvent
{
    public ContentBlockDeltaEvent() => Type = "content_block_delta";

    public int Index { get; init; }

    public ContentBlockDelta Delta { get; init; } = new();
}

/// <summary><c>content_block_stop</c>: block <see cref="Index"/> is complete.</summary>
internal sealed record ContentBlockStopEvent : MessageStreamEvent
{
    public ContentBlockStopEvent() => Type = "content_block_stop";

    public int Index { get; init; }
}

/// <summary><c>message_delta</c>: the stop reason and the <b>cumulative</b> usage.</summary>
internal sealed record MessageDeltaEvent : MessageStreamEvent
{
    public MessageDeltaEvent() => Type = "message_delta";

    public MessageDelta Delta { get; init; } = new();

    public MessageDeltaUsage Usage { get; init; } = new();
}

/// <summary><c>message_stop</c>: the stream's last event.</summary>
internal sealed record MessageStopEvent : MessageStreamEvent
{
    public MessageStopEvent() => Type = "message_stop";
}

/// <summary><c>ping</c>: a keep-alive that may appear anywhere.</summary>
internal sealed record PingEvent : MessageStreamEvent
{
    public PingEvent() => Type = "ping";
}

/// <summary><c>error</c>: the stream failed (e.g. <c>overloaded_error</c>); no <c>message_stop</c> follows.</summary>
internal sealed record ErrorEvent : MessageStreamEvent
{
    public ErrorEvent() => Type = "error";

    public ApiError Error { get; init; } = new();
}

/// <summary>The <c>delta</c> of a <c>message_delta</c> event.</summary>
internal sealed record MessageDelta
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>usage</c> of a <c>message_delta</c> event: <c>output_tokens</c> always, the rest when known.</summary>
internal sealed record MessageDeltaUsage
{
    public int OutputTokens { get; init; }

    public int? InputTokens { get; init; }

    public int? CacheCreationInputTokens { get; init; }

    public int? CacheReadInputTokens { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>delta</c> of a <c>content_block_delta</c> event; an unknown kind (e.g. <c>citations_delta</c>) is this base record.</summary>
[JsonConverter(typeof(ContentBlockDeltaConverter))]
internal record ContentBlockDelta : ITypeTagged
{
    [JsonPropertyOrder(-1)]
    public string? Type { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore]
    public bool IsUnrecognized => GetType() == typeof(ContentBlockDelta);
}

/// <summary><c>text_delta</c>: more text for a text block.</summary>
internal sealed record TextDelta : ContentBlockDelta
{
    public TextDelta() => Type = "text_delta";

    public string Text { get; init; } = "";
}

/// <summary><c>input_json_delta</c>: a fragment of a tool's input JSON; concatenate all of a block's fragments.</summary>
internal sealed record InputJsonDelta : ContentBlockDelta
{
    public InputJsonDelta() => Type = "input_json_delta";

    public string PartialJson { get; init; } = "";
}

/// <summary><c>thinking_delta</c>: more extended-thinking text.</summary>
internal sealed record ThinkingDelta : ContentBlockDelta
{
    public ThinkingDelta() => Type = "thinking_delta";

    public string Thinking { get; init; } = "";
}

/// <summary><c>signature_delta</c>: a thinking block's signature, sent just before its <c>content_block_stop</c>.</summary>
internal sealed record SignatureDelta : ContentBlockDelta
{
    public SignatureDelta() => Type = "signature_delta";

    public string Signature { get; init; } = "";
}

/// <summary>Maps a stream event's <c>type</c> to its record.</summary>
internal sealed class MessageStreamEventConverter : TypeTaggedConverter<MessageStreamEvent>
{
    protected override Type? KnownType(string type) => type switch
    {
        "message_start" => typeof(MessageStartEvent),
        "content_block_start" => typeof(ContentBlockStartEvent),
        "content_block_delta" => typeof(ContentBlockDeltaEvent),
        "content_block_stop" => typeof(ContentBlockStopEvent),
        "message_delta" => typeof(MessageDeltaEvent),
        "message_stop" => typeof(MessageStopEvent),
        "ping" => typeof(PingEvent),
        "error" => typeof(ErrorEvent),
        _ => null,
    };

    protected override MessageStreamEvent Unrecognized(string? type, Dictionary<string, JsonElement> fields) =>
        new() { Type = type, Extra = fields };
}

/// <summary>Maps a block delta's <c>type</c> to its record.</summary>
internal sealed class ContentBlockDeltaConverter : TypeTaggedConverter<ContentBlockDelta>
{
    protected override Type? KnownType(string type) => type switch
    {
        "text_delta" => typeof(TextDelta),
        "input_json_delta" => typeof(InputJsonDelta),
        "thinking_delta" => typeof(ThinkingDelta),
        "signature_delta" => typeof(SignatureDelta),
        _ => null,
    };

    protected override ContentBlockDelta Unrecognized(string? type, Dictionary<string, JsonElement> fields) =>
        new() { Type = type, Extra = fields };
}
