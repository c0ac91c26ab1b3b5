using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// The top-level fields of an Anthropic Messages request, as raw slices. Reading them validates the whole body
/// once; unknown fields are noted, since nothing a client sends may vanish without a word.
/// </summary>
internal ref struct RequestFields
{
    public ReadOnlySpan<byte> System;
    public ReadOnlySpan<byte> Messages;
    public ReadOnlySpan<byte> MaxTokens;
    public ReadOnlySpan<byte> Temperature;
    public ReadOnlySpan<byte> TopP;
    public ReadOnlySpan<byte> TopK;
    public ReadOnlySpan<byte> StopSequences;
    public ReadOnlySpan<byte> Stream;
    public ReadOnlySpan<byte> Tools;
    public ReadOnlySpan<byte> ToolChoice;
    public ReadOnlySpan<byte> Thinking;

    public static RequestFields Read(ReadOnlySpan<byte> body, ConversionContext context)
    {
        var probe = new Utf8JsonReader(body);
        if (!probe.Read() || probe.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException("The request body must be a JSON object.");
        }

        var fields = default(RequestFields);
        var cursor = new JsonObjectCursor(body);
        while (cursor.MoveNext())
        {
            if (cursor.NameIs("messages"u8)) { fields.Messages = cursor.Value; }
            else if (cursor.NameIs("system"u8)) { fields.System = cursor.Value; }
            else if (cursor.NameIs("max_tokens"u8)) { fields.MaxTokens = cursor.Value; }
            else if (cursor.NameIs("temperature"u8)) { fields.Temperature = cursor.Value; }
            else if (cursor.NameIs("top_p"u8)) { fields.TopP = cursor.Value; }
            else if (cursor.NameIs("top_k"u8)) { fields.TopK = cursor.Value; }
            else if (cursor.NameIs("stop_sequences"u8)) { fields.StopSequences = cursor.Value; }
            else if (cursor.NameIs("stream"u8)) { fields.Stream = cursor.Value; }
            else if (cursor.NameIs("tools"u8)) { fields.Tools = cursor.Value; }
            else if (cursor.NameIs("tool_choice"u8)) { fields.ToolChoice = cursor.Value; }
            else if (cursor.NameIs("thinking"u8)) { fields.Thinking = cursor.Value; }
            else if (cursor.NameIs("model"u8) || cursor.NameIs("metadata"u8))
            {
                // The model is the routed one; metadata.user_id is Claude Code's account and session id, which is
                // not forwarded to third parties (peers.md §3.2 item 32).
            }
            else
            {
                context.Notes.Add($"{cursor.Name}: ignored, OpenAI-format providers have no equivalent");
            }
        }

        cursor.EnsureEndOfInput();
        if (fields.Messages.IsEmpty)
        {
            throw new InvalidRequestException("messages: is required");
        }

        return fields;
    }
}
