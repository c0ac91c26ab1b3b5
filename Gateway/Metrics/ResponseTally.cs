using System.Text.Json;
using Vdm.Conversion;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// Reads an answer as it goes to the client, in the client's own format, for what logs and metrics report: the
/// usage the answer states (Anthropic's <c>message_start</c>/<c>message_delta</c> or a JSON message's <c>usage</c>;
/// OpenAI's <c>usage</c>), the tool calls the model made, the bytes, when the first token went out, and an in-band
/// error. Reading the client's side rather than the provider's gives one reader per client format for every route —
/// converted, passed through, or synthesised from a JSON answer — and counts exactly what the client was told.
/// <para>
/// Streams are read line by line with no copy when a line arrives whole; only the few lines that matter are parsed
/// (Anthropic: message_start, message_delta, content_block_start, error; OpenAI: chunks naming usage, tool calls or
/// an error), and the bulk of an answer, its text deltas, is only searched for its line end.
/// </para>
/// </summary>
internal sealed class ResponseTally(ApiFormat format, ResponseUsage usage)
{
    // Enough of a line to tell whether it matters ("event: content_block_start" is 26 bytes, data naming its type 35).
    private const int DecideBytes = 48;

    // A line that matters and is longer than this is not usage worth holding memory for.
    private const int MaxLineBytes = 1024 * 1024;

    private byte[] _carried = [];
    private int _length;
    private LineMode _mode;
    private AnthropicEvent _event;
    private string? _lastToolCallId;

    // Set when reading failed in a way it never should: counting then stops, and the answer flows on untouched.
    private bool _stopped;
    private bool _finished;
    private bool _lostLine;

    private enum LineMode
    {
        Undecided,
        Keep,
        Skip,
    }

    private enum AnthropicEvent
    {
        None,
        MessageStart,
        MessageDelta,
        ContentBlockStart,
        ContentBlockDelta,
        Error,
        Other,
    }

    public ResponseUsage Usage => usage;

    /// <summary>The tally of the request being answered, or a throwaway one when it is not tracked (a relay driven on its own).</summary>
    public static ResponseTally For(Microsoft.AspNetCore.Http.HttpContext context, ApiFormat format) =>
        RequestContext.Of(context)?.Tally ?? new ResponseTally(format, new ResponseUsage());

    /// <summary>
    /// An OpenAI stream has sent a <c>finish_reason</c>: its answer is complete, with or without <c>[DONE]</c>. Also true
    /// once reading has stopped (<see cref="ObserveStream"/>): unknown is never reported as truncated.
    /// </summary>
    public bool AnswerFinished => _finished || _stopped || _lostLine;

    /// <summary>Bytes of an event stream, in whatever pieces they are written.</summary>
    public void ObserveStream(ReadOnlySpan<byte> bytes)
    {
        usage.ResponseBytes += bytes.Length;
        if (_stopped)
        {
            return;
        }

        try
        {
            Lines(bytes);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // This runs inside the client's writer: a counting bug must never cost the client its answer.
            _stopped = true;
        }
    }

    private void Lines(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            if (end < 0)
            {
                Carry(bytes);
                return;
            }

            var line = bytes[..end];
            bytes = bytes[(end + 1)..];
            if (_mode == LineMode.Undecided && _length == 0)
            {
                if (Decide(line))
                {
                    Process(line);
                }
            }
            else
            {
                Carry(line);
                if (_mode == LineMode.Keep || (_mode == LineMode.Undecided && Decide(_carried.AsSpan(0, _length))))
                {
                    Process(_carried.AsSpan(0, _length));
                }
            }

            _length = 0;
            _mode = LineMode.Undecided;
        }
    }

    /// <summary>A whole JSON answer (a Messages response, or a chat completion).</summary>
    public void ObserveJson(ReadOnlySpan<byte> body)
    {
        usage.ResponseBytes += body.Length;
        try
        {
            if (format == ApiFormat.Anthropic)
            {
                ReadAnthropicUsage(body);
                usage.ToolUses += CountAnthropicToolUses(body);
            }
            else
            {
                ReadOpenAIUsage(body);
                CountToolCalls(body);
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            // A body that is not JSON (or not the JSON expected) was relayed as the provider sent it; it states no usage.
        }
    }

    private void Carry(ReadOnlySpan<byte> part)
    {
        if (_mode == LineMode.Skip || part.IsEmpty)
        {
            return;
        }

        if (_length + part.Length > MaxLineBytes)
        {
            // Too long to hold for its usage; whatever it said (a finish_reason, say) is unknown, not absent.
            (_mode, _length, _lostLine) = (LineMode.Skip, 0, true);
            return;
        }

        if (_length + part.Length > _carried.Length)
        {
            Array.Resize(ref _carried, Math.Max(_length + part.Length, Math.Max(256, _carried.Length * 2)));
        }

        part.CopyTo(_carried.AsSpan(_length));
        _length += part.Length;
        if (_mode == LineMode.Undecided && _length >= DecideBytes)
        {
            _mode = Decide(_carried.AsSpan(0, _length)) ? LineMode.Keep : LineMode.Skip;
            if (_mode == LineMode.Skip)
            {
                _length = 0;
            }
        }
    }

    /// <summary>Whether a line (or its first <see cref="DecideBytes"/>) is one to parse; notes the first token on the way.</summary>
    private bool Decide(ReadOnlySpan<byte> line)
    {
        if (format == ApiFormat.OpenAI)
        {
            return Data(line, out var json) && !json.StartsWith("[DONE]"u8);
        }

        if (line.IsEmpty || line.SequenceEqual("\r"u8))
        {
            // An event ends at its blank line.
            _event = AnthropicEvent.None;
            return false;
        }

        if (line.StartsWith("event:"u8))
        {
            return true;
        }

        if (!Data(line, out var data))
        {
            return false;
        }

        // A provider that sends data lines only still names each event first thing in its JSON, as Anthropic does.
        if (_event == AnthropicEvent.None && data.StartsWith("{\"type\":\""u8))
        {
            var name = data["{\"type\":\"".Length..];
            var end = name.IndexOf((byte)'"');
            _event = end < 0 ? AnthropicEvent.Other : EventName(name[..end]);
        }

        switch (_event)
        {
            case AnthropicEvent.ContentBlockDelta:
                usage.FirstToken();
                return false;
            case AnthropicEvent.MessageStart or AnthropicEvent.MessageDelta or AnthropicEvent.ContentBlockStart or AnthropicEvent.Error:
                return true;
            default:
                return false;
        }
    }

    private void Process(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        try
        {
            if (format == ApiFormat.OpenAI)
            {
                if (Data(line, out var chunk))
                {
                    ProcessChunk(chunk);
                }

                return;
            }

            if (line.StartsWith("event:"u8))
            {
                _event = EventName(line["event:".Length..].Trim((byte)' '));
                return;
            }

            if (!Data(line, out var json))
            {
                return;
            }

            switch (_event)
            {
                case AnthropicEvent.MessageStart or AnthropicEvent.MessageDelta:
                    ReadAnthropicUsage(json);
                    break;
                case AnthropicEvent.ContentBlockStart when IsToolUseStart(json):
                    usage.ToolUses++;
                    break;
                case AnthropicEvent.Error:
                    usage.ErrorType = ErrorType(json) ?? AnthropicErrorTypes.Api;
                    break;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            // The client got the line as it was; it just tells nothing countable.
        }
    }

    private void ProcessChunk(ReadOnlySpan<byte> chunk)
    {
        if (chunk.StartsWith("{\"error\""u8))
        {
            usage.ErrorType = ErrorType(chunk) ?? "api_error";
            return;
        }

        if (!_finished && HasFinishReason(chunk))
        {
            _finished = true;
        }

        if (usage.FirstTokenTimestamp == 0
            && (HasNonEmptyString(chunk, "\"content\":"u8) || HasNonEmptyString(chunk, "\"reasoning_content\":"u8)
                || HasNonEmptyString(chunk, "\"reasoning\":"u8) || chunk.IndexOf("\"tool_calls\":["u8) >= 0))
        {
            usage.FirstToken();
        }

        if (chunk.IndexOf("\"tool_calls\""u8) >= 0)
        {
            CountToolCalls(chunk);
        }

        // OpenAI writes "usage":null on every chunk but the last when usage is asked for: parse only a real object.
        var at = chunk.IndexOf("\"usage\":"u8);
        if (at >= 0 && chunk[(at + "\"usage\":".Length)..].TrimStart((byte)' ') is [(byte)'{', ..])
        {
            ReadOpenAIUsage(chunk);
        }
    }

    /// <summary>
    /// The tool calls in a chat completion or a chunk: objects with an id in a <c>tool_calls</c> array. A streamed
    /// call is counted at its first fragment, the one with its id (some providers repeat it).
    /// </summary>
    private void CountToolCalls(ReadOnlySpan<byte> chunk)
    {
        foreach (var call in ToolCallScan.Find(chunk).Calls)
        {
            if (call.Id is { } id && id != _lastToolCallId)
            {
                _lastToolCallId = id;
                usage.ToolUses++;
            }
        }
    }

    /// <summary><c>tool_use</c> blocks in a Messages response's top-level <c>content</c>.</summary>
    private static int CountAnthropicToolUses(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 3 && reader.ValueTextEquals("type"u8)
                        && reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_use"u8))
                    {
                        count++;
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth > 2)
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                reader.Read();
                reader.Skip();
            }
        }

        return count;
    }

    private static bool IsToolUseStart(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("type"u8))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_use"u8);
            }
        }

        return false;
    }

    /// <summary>
    /// The answer's <c>usage</c>: top-level in a JSON message or a message_delta, under <c>message</c> in a
    /// message_start — never one deeper down, such as in a tool's input. Counts present overwrite: Anthropic's are cumulative.
    /// </summary>
    private void ReadAnthropicUsage(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                ReadAnthropicUsageObject(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isUsage = reader.ValueTextEquals("usage"u8);
                    reader.Read();
                    if (isUsage)
                    {
                        ReadAnthropicUsageObject(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ReadAnthropicUsageObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != depth + 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("input_tokens"u8))
            {
                usage.InputTokens = Count(ref reader) ?? usage.InputTokens;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                usage.OutputTokens = Count(ref reader) ?? usage.OutputTokens;
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                usage.CacheReadTokens = Count(ref reader) ?? usage.CacheReadTokens;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                usage.CacheWriteTokens = Count(ref reader) ?? usage.CacheWriteTokens;
            }
        }
    }

    /// <summary>The top-level <c>usage</c>, counted as the conversion counts it (<see cref="OpenAIUsage"/>): input without the cached part.</summary>
    private void ReadOpenAIUsage(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (OpenAIUsage.TryRead(ref reader, out var stated))
            {
                usage.InputTokens = stated.InputTokens;
                usage.OutputTokens = stated.CompletionTokens;
                usage.CacheReadTokens = stated.CachedTokens;
                usage.CacheWriteTokens = stated.CacheWriteTokens;
            }

            return;
        }
    }

    /// <summary><c>error.type</c> of an error event or body, either format.</summary>
    private static string? ErrorType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var inError = -1;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (inError < 0 && reader.ValueTextEquals("error"u8))
            {
                inError = reader.CurrentDepth;
            }
            else if (inError >= 0 && reader.CurrentDepth == inError + 1 && reader.ValueTextEquals("type"u8))
            {
                return reader.Read() && reader.TokenType == JsonTokenType.String ? ErrorTypes.Normalize(reader.GetString()) : null;
            }
        }

        return null;
    }

    private static long? Count(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var count) ? Math.Max(0, count) : null;
    }

    /// <summary>Any <c>"finish_reason"</c> with a string value, whatever the spacing, in any choice.</summary>
    private static bool HasFinishReason(ReadOnlySpan<byte> chunk)
    {
        while (chunk.IndexOf("\"finish_reason\""u8) is var at and >= 0)
        {
            chunk = chunk[(at + "\"finish_reason\"".Length)..];
            var value = chunk.TrimStart(" \t"u8);
            if (value is [(byte)':', ..] && value[1..].TrimStart(" \t"u8) is [(byte)'"', var next, ..] && next != (byte)'"')
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasNonEmptyString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> key)
    {
        var at = json.IndexOf(key);
        if (at < 0)
        {
            return false;
        }

        var value = json[(at + key.Length)..].TrimStart((byte)' ');
        return value is [(byte)'"', var next, ..] && next != (byte)'"';
    }

    private static bool Data(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> json)
    {
        if (!line.StartsWith("data:"u8))
        {
            json = default;
            return false;
        }

        json = line["data:".Length..];
        if (json is [(byte)' ', ..])
        {
            json = json[1..];
        }

        return true;
    }

    private static AnthropicEvent EventName(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("content_block_delta"u8) => AnthropicEvent.ContentBlockDelta,
        _ when name.SequenceEqual("content_block_start"u8) => AnthropicEvent.ContentBlockStart,
        _ when name.SequenceEqual("message_start"u8) => AnthropicEvent.MessageStart,
        _ when name.SequenceEqual("message_delta"u8) => AnthropicEvent.MessageDelta,
        _ when name.SequenceEqual("error"u8) => AnthropicEvent.Error,
        _ => AnthropicEvent.Other,
    };
}
