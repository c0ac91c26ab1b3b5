using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Writes Anthropic Messages stream events (<c>event: &lt;type&gt;\ndata: &lt;json&gt;\n\n</c>) into a buffer writer
/// with one reused <see cref="Utf8JsonWriter"/>. Every event is complete once its method returns, so the caller may
/// flush after any call. A later middleware hook that observes or alters emitted events would wrap this type: each
/// public method is exactly one event.
/// </summary>
internal sealed class AnthropicEventWriter : IDisposable
{
    // The stream is consumed by SDKs, never rendered as HTML, so non-ASCII text stays readable UTF-8.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _json;
    private readonly ArrayBufferWriter<byte> _quoted = new(256);
    private int _written;

    public AnthropicEventWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _json = new Utf8JsonWriter(output, Options);
    }

    /// <summary>Events written since the last call to <see cref="TakeWrittenCount"/>.</summary>
    public int TakeWrittenCount()
    {
        var count = _written;
        _written = 0;
        return count;
    }

    public void WriteMessageStart(string id, string model, long inputTokens)
    {
        Begin("message_start"u8);
        _json.WriteStartObject("message"u8);
        _json.WriteString("id"u8, id);
        _json.WriteString("type"u8, "message"u8);
        _json.WriteString("role"u8, "assistant"u8);
        _json.WriteString("model"u8, model);
        _json.WriteStartArray("content"u8);
        _json.WriteEndArray();
        _json.WriteNull("stop_reason"u8);
        _json.WriteNull("stop_sequence"u8);
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("input_tokens"u8, inputTokens);
        _json.WriteNumber("output_tokens"u8, 0);
        _json.WriteNumber("cache_creation_input_tokens"u8, 0);
        _json.WriteNumber("cache_read_input_tokens"u8, 0);
        _json.WriteEndObject();
        _json.WriteEndObject();
        End();
    }

    public void WritePing()
    {
        Begin("ping"u8);
        End();
    }

    public void WriteTextStart(int index) => WriteSimpleBlockStart(index, "text"u8);

    public void WriteThinkingStart(int index) => WriteSimpleBlockStart(index, "thinking"u8);

    public void WriteToolUseStart(int index, string id, string name)
    {
        Begin("content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("content_block"u8);
        _json.WriteString("type"u8, "tool_use"u8);
        _json.WriteString("id"u8, id);
        _json.WriteString("name"u8, name);
        _json.WriteStartObject("input"u8);
        _json.WriteEndObject();
        _json.WriteEndObject();
        End();
    }

    /// <summary>
    /// Writes a delta whose string is given still JSON-escaped, exactly as the upstream sent it (without quotes), so
    /// text and tool arguments pass through verbatim and are never unescaped and re-escaped.
    /// </summary>
    public void WriteDelta(int index, BlockDelta kind, ReadOnlySpan<byte> escaped)
    {
        var deltaType = kind switch
        {
            BlockDelta.Text => "text_delta"u8,
            BlockDelta.Thinking => "thinking_delta"u8,
            BlockDelta.Signature => "signature_delta"u8,
            _ => "input_json_delta"u8,
        };
        var field = kind switch
        {
            BlockDelta.Text => "text"u8,
            BlockDelta.Thinking => "thinking"u8,
            BlockDelta.Signature => "signature"u8,
            _ => "partial_json"u8,
        };

        _quoted.ResetWrittenCount();
        var quoted = _quoted.GetSpan(escaped.Length + 2);
        quoted[0] = (byte)'"';
        escaped.CopyTo(quoted[1..]);
        quoted[escaped.Length + 1] = (byte)'"';

        Begin("content_block_delta"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("type"u8, deltaType);
        _json.WritePropertyName(field);
        // The upstream's reader already validated the string; re-validating every fragment would only cost time.
        _json.WriteRawValue(quoted[..(escaped.Length + 2)], skipInputValidation: true);
        _json.WriteEndObject();
        End();
    }

    public void WriteBlockStop(int index)
    {
        Begin("content_block_stop"u8);
        _json.WriteNumber("index"u8, index);
        End();
    }

    public void WriteMessageDelta(string stopReason, OpenAIUsage usage)
    {
        Begin("message_delta"u8);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("stop_reason"u8, stopReason);
        _json.WriteNull("stop_sequence"u8);
        _json.WriteEndObject();
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("input_tokens"u8, usage.InputTokens);
        _json.WriteNumber("output_tokens"u8, usage.CompletionTokens);
        _json.WriteNumber("cache_read_input_tokens"u8, usage.CachedTokens);
        _json.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWriteTokens);
        _json.WriteEndObject();
        End();
    }

    public void WriteMessageStop()
    {
        Begin("message_stop"u8);
        End();
    }

    public void WriteError(string type, string message)
    {
        Begin("error"u8);
        _json.WriteStartObject("error"u8);
        _json.WriteString("type"u8, type);
        _json.WriteString("message"u8, message);
        _json.WriteEndObject();
        End();
    }

    public void Dispose() => _json.Dispose();

    private void WriteSimpleBlockStart(int index, ReadOnlySpan<byte> type)
    {
        Begin("content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("content_block"u8);
        _json.WriteString("type"u8, type);
        _json.WriteString(type, ""u8);
        if (type.SequenceEqual("thinking"u8))
        {
            _json.WriteString("signature"u8, ""u8);
        }

        _json.WriteEndObject();
        End();
    }

    /// <summary>Writes the event line and opens the data object with its <c>type</c>, which always equals the event name.</summary>
    private void Begin(ReadOnlySpan<byte> type)
    {
        _output.Write("event: "u8);
        _output.Write(type);
        _output.Write("\ndata: "u8);
        _json.Reset(_output);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
    }

    private void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _output.Write("\n\n"u8);
        _written++;
    }
}
