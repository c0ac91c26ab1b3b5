using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads one <c>chat.completion.chunk</c> payload with <see cref="Utf8JsonReader"/> straight into an
/// <see cref="OpenAIChunk"/>, without a DOM and without strings for anything but tool ids, tool names and errors.
/// </summary>
internal static class OpenAIChunkParser
{
    /// <summary>Fills <paramref name="chunk"/> from <paramref name="data"/>.</summary>
    /// <returns>False when the payload is not a JSON object.</returns>
    public static bool TryParse(ReadOnlySpan<byte> data, OpenAIChunk chunk)
    {
        chunk.Reset();
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    ReadChoices(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    ChunkUsageReader.Read(ref reader, chunk);
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    InBandError.Read(ref reader, chunk);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Reading past the object proves nothing but whitespace follows it.
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadChoices(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        // vLLM sends "choices": null in its usage chunk.
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartArray))
        {
            return;
        }

        var position = 0;
        var taken = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // With n > 1 only choice 0 is relayed; a choice without "index" counts by its position.
            if (!taken && reader.TokenType == JsonTokenType.StartObject && ChoiceIndex(reader, position) == 0)
            {
                taken = true;
                ReadChoice(ref reader, chunk);
            }
            else
            {
                reader.Skip();
            }

            position++;
        }
    }

    /// <summary>Looks ahead on a copy of the reader: "index" may follow "delta" in the object.</summary>
    private static int ChoiceIndex(Utf8JsonReader reader, int position)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isIndex = reader.ValueTextEquals("index"u8);
            reader.Read();
            if (isIndex && ChunkValues.Int32(ref reader) is { } index)
            {
                return index;
            }

            reader.Skip();
        }

        return position;
    }

    private static void ReadChoice(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                ReadDelta(ref reader, chunk);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                chunk.FinishReason = FinishReason(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>The finish reason, as a literal for the known ones so that the finish chunk allocates nothing.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return reader.ValueTextEquals("stop"u8) ? "stop"
            : reader.ValueTextEquals("length"u8) ? "length"
            : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
            : reader.ValueTextEquals("content_filter"u8) ? "content_filter"
            : reader.ValueTextEquals("error"u8) ? "error"
            : reader.GetString();
    }

    private static void ReadDelta(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        ByteRange reasoningContent = default, reasoning = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                chunk.Content = ChunkValues.StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                reasoningContent = ChunkValues.StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                reasoning = ChunkValues.StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                ReasoningDetailsReader.Read(ref reader, chunk);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                chunk.Refusal = ChunkValues.StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ToolCallFragmentReader.Read(ref reader, chunk.ToolCalls);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        chunk.Reasoning = reasoningContent.IsEmpty ? reasoning : reasoningContent;
    }
}
