using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Response;

/// <summary>
/// Replays a complete Anthropic message as the event stream a streaming client expects, for upstreams that answer
/// a streaming request with plain JSON (peers.md §3.4 item 78): <c>message_start</c>, each block as start, one
/// delta and stop, then <c>message_delta</c> and <c>message_stop</c>. The accumulated stream equals the message.
/// </summary>
internal static class SyntheticStream
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>Writes the events for <paramref name="message"/>, an Anthropic message the caller produced or validated.</summary>
    public static void Write(ReadOnlyMemory<byte> message, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(message);
        JsonElement id = default, model = default, content = default, stopReason = default, stopSequence = default, usage = default;
        var fields = new JsonObjectCursor(document.RootElement);
        while (fields.MoveNext())
        {
            if (fields.NameIs("id"u8)) { id = fields.Value; }
            else if (fields.NameIs("model"u8)) { model = fields.Value; }
            else if (fields.NameIs("content"u8)) { content = fields.Value; }
            else if (fields.NameIs("stop_reason"u8)) { stopReason = fields.Value; }
            else if (fields.NameIs("stop_sequence"u8)) { stopSequence = fields.Value; }
            else if (fields.NameIs("usage"u8)) { usage = fields.Value; }
        }

        using var scratch = new PooledBufferWriter(1024);
        using var writer = new Utf8JsonWriter(scratch, WriterOptions);
        var events = new EventFramer(output, scratch, writer);

        events.Begin("message_start"u8);
        writer.WriteStartObject("message"u8);
        WriteRaw(writer, "id"u8, id);
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        WriteRaw(writer, "model"u8, model);
        writer.WriteStartArray("content"u8);
        writer.WriteEndArray();
        writer.WriteNull("stop_reason"u8);
        writer.WriteNull("stop_sequence"u8);
        WriteRaw(writer, "usage"u8, usage);
        writer.WriteEndObject();
        events.End();

        if (JsonValues.IsArray(content))
        {
            var blocks = new JsonArrayCursor(content);
            while (blocks.MoveNext())
            {
                WriteBlock(events, writer, scratch, blocks.Current, blocks.Index);
            }
        }

        events.Begin("message_delta"u8);
        writer.WriteStartObject("delta"u8);
        WriteRaw(writer, "stop_reason"u8, stopReason);
        WriteRaw(writer, "stop_sequence"u8, stopSequence);
        writer.WriteEndObject();
        WriteRaw(writer, "usage"u8, usage);
        events.End();

        events.Begin("message_stop"u8);
        events.End();
    }

    private static void WriteBlock(EventFramer events, Utf8JsonWriter writer, PooledBufferWriter scratch, JsonElement block, int index)
    {
        JsonElement type = default, text = default, thinking = default, signature = default, id = default, name = default, input = default;
        var fields = new JsonObjectCursor(block);
        while (fields.MoveNext())
        {
            if (fields.NameIs("type"u8)) { type = fields.Value; }
            else if (fields.NameIs("text"u8)) { text = fields.Value; }
            else if (fields.NameIs("thinking"u8)) { thinking = fields.Value; }
            else if (fields.NameIs("signature"u8)) { signature = fields.Value; }
            else if (fields.NameIs("id"u8)) { id = fields.Value; }
            else if (fields.NameIs("name"u8)) { name = fields.Value; }
            else if (fields.NameIs("input"u8)) { input = fields.Value; }
        }

        events.Begin("content_block_start"u8);
        writer.WriteNumber("index"u8, index);
        writer.WritePropertyName("content_block"u8);
        if (JsonValues.StringEquals(type, "text"u8))
        {
            writer.WriteRawValue("{\"type\":\"text\",\"text\":\"\"}"u8, skipInputValidation: true);
            events.End();
            WriteDelta(events, writer, index, "text_delta"u8, "text"u8, text);
        }
        else if (JsonValues.StringEquals(type, "thinking"u8))
        {
            writer.WriteRawValue("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"u8, skipInputValidation: true);
            events.End();
            WriteDelta(events, writer, index, "thinking_delta"u8, "thinking"u8, thinking);
            if (JsonValues.HasText(signature))
            {
                WriteDelta(events, writer, index, "signature_delta"u8, "signature"u8, signature);
            }
        }
        else if (JsonValues.StringEquals(type, "tool_use"u8))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_use"u8);
            WriteRaw(writer, "id"u8, id);
            WriteRaw(writer, "name"u8, name);
            writer.WriteStartObject("input"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
            events.End();
            var rawInput = JsonValues.Raw(input);
            if (JsonValues.IsObject(input) && rawInput.Length > 2)
            {
                using var arguments = new PooledBufferWriter(rawInput.Length);
                JsonValues.WriteCompact(rawInput, arguments);
                events.Begin("content_block_delta"u8);
                writer.WriteNumber("index"u8, index);
                writer.WriteStartObject("delta"u8);
                writer.WriteString("type"u8, "input_json_delta"u8);
                writer.WriteString("partial_json"u8, arguments.WrittenSpan);
                writer.WriteEndObject();
                events.End();
            }
        }
        else
        {
            // Blocks without deltas (redacted thinking, server tool results) arrive whole in their start event.
            writer.WriteRawValue(JsonValues.Raw(block), skipInputValidation: true);
            events.End();
        }

        events.Begin("content_block_stop"u8);
        writer.WriteNumber("index"u8, index);
        events.End();
    }

    private static void WriteDelta(EventFramer events, Utf8JsonWriter writer, int index, ReadOnlySpan<byte> deltaType, ReadOnlySpan<byte> field, JsonElement value)
    {
        if (!JsonValues.HasText(value))
        {
            return;
        }

        events.Begin("content_block_delta"u8);
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("delta"u8);
        writer.WriteString("type"u8, deltaType);
        WriteRaw(writer, field, value);
        writer.WriteEndObject();
        events.End();
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        writer.WritePropertyName(name);
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(JsonValues.Raw(value), skipInputValidation: true);
        }
    }

    /// <summary>Frames one event: <c>event: type</c>, <c>data: {"type":type,…}</c>, blank line.</summary>
    private readonly struct EventFramer(IBufferWriter<byte> output, PooledBufferWriter scratch, Utf8JsonWriter writer)
    {
        public void Begin(ReadOnlySpan<byte> type)
        {
            output.Write("event: "u8);
            output.Write(type);
            output.Write("\ndata: "u8);
            scratch.Clear();
            writer.Reset(scratch);
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
        }

        public void End()
        {
            writer.WriteEndObject();
            writer.Flush();
            output.Write(scratch.WrittenSpan);
            output.Write("\n\n"u8);
        }
    }
}
