using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads a chunk's <c>usage</c> object into the counts of an <see cref="OpenAIChunk"/>, with the cached prompt tokens
/// taken from wherever the provider reports them.
/// </summary>
internal static class ChunkUsageReader
{
    public static void Read(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        // With include_usage, OpenAI sends "usage": null on every chunk but the last.
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartObject))
        {
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
                    chunk.PromptTokens = ChunkValues.Count(ref reader);
                    break;
                case 2:
                    chunk.CompletionTokens = ChunkValues.Count(ref reader);
                    break;
                case 3:
                    // DeepSeek reports cache hits here instead of prompt_tokens_details.cached_tokens.
                    cacheHit = ChunkValues.Count(ref reader);
                    break;
                case 4:
                    cached = CachedTokens(ref reader) ?? cached;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        chunk.CachedTokens = cached ?? cacheHit ?? 0;
    }

    /// <summary><c>prompt_tokens_details.cached_tokens</c>, or null when the details do not name it.</summary>
    private static long? CachedTokens(ref Utf8JsonReader reader)
    {
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartObject))
        {
            return null;
        }

        long? cached = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCached = reader.ValueTextEquals("cached_tokens"u8);
            reader.Read();
            if (isCached)
            {
                cached = ChunkValues.Count(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return cached;
    }
}
