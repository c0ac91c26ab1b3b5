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
                    ReadUsage(ref reader, chunk);
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
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // vLLM sends "choices": null in its usage chunk.
            reader.Skip();
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
            if (isIndex && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index))
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
                chunk.FinishReason = reader.TokenType == JsonTokenType.String ? FinishReason(ref reader) : null;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static string FinishReason(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("stop"u8) ? "stop"
        : reader.ValueTextEquals("length"u8) ? "length"
        : reader.ValueTextEquals("tool_calls"u8) ? "tool_calls"
        : reader.ValueTextEquals("content_filter"u8) ? "content_filter"
        : reader.ValueTextEquals("error"u8) ? "error"
        : reader.GetString()!;

    private static void ReadDelta(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        ByteRange reasoningContent = default, reasoning = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                chunk.Content = StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                reasoningContent = StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                reasoning = StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                ReadReasoningDetails(ref reader, chunk);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                chunk.Refusal = StringRange(ref reader);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCalls(ref reader, chunk);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        chunk.Reasoning = reasoningContent.IsEmpty ? reasoning : reasoningContent;
    }

    private static void ReadReasoningDetails(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                var isSignature = reader.ValueTextEquals("signature"u8);
                reader.Read();
                var range = isText || isSignature ? StringRange(ref reader) : default;
                if (!range.IsEmpty)
                {
                    (isText ? chunk.ReasoningDetails : chunk.Signatures).Add(range);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int? index = null;
            string? id = null, name = null;
            ByteRange arguments = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : null;
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = NonEmptyString(ref reader);
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    ReadFunction(ref reader, ref name, ref arguments);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            chunk.ToolCalls.Add(new ToolCallFragment(index ?? position, id, name, arguments));
            position++;
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
        }
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ref string? name, ref ByteRange arguments)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("arguments"u8) ? 2 : 0;
            reader.Read();
            switch (property)
            {
                case 1:
                    name = NonEmptyString(ref reader);
                    break;
                case 2:
                    arguments = StringRange(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }

    private static void ReadUsage(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        chunk.HasUsage = true;
        long? cached = null, cacheHit = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("prompt_tokens"u8) ? 1
                : reader.ValueTextEquals("completion_tokens"u8) ? 2
                : reader.ValueTextEquals("prompt_cache_hit_tokens"u8) ? 3
                : reader.ValueTextEquals("prompt_tokens_details"u8) ? 4
                : 0;
            reader.Read();
            switch (property)
            {
                case 1:
                    chunk.PromptTokens = Number(ref reader);
                    break;
                case 2:
                    chunk.CompletionTokens = Number(ref reader);
                    break;
                case 3:
                    // DeepSeek reports cache hits here instead of prompt_tokens_details.cached_tokens.
                    cacheHit = Number(ref reader);
                    break;
                case 4 when reader.TokenType == JsonTokenType.StartObject:
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isCached = reader.ValueTextEquals("cached_tokens"u8);
                        reader.Read();
                        if (isCached)
                        {
                            cached = Number(ref reader);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        chunk.CachedTokens = cached ?? cacheHit ?? 0;
    }

    private static long Number(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value > 0 ? value : 0;

    /// <summary>The escaped content of a string token; empty for null, "" and anything that is not a string.</summary>
    private static ByteRange StringRange(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return default;
        }

        // For a string token over one contiguous span, TokenStartIndex is the opening quote.
        return new ByteRange((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
    }

    private static string? NonEmptyString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0 ? reader.GetString() : null;
}
