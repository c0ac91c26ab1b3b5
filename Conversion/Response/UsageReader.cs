using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>
/// Reads the token counts of an OpenAI <c>usage</c> object, including the cache counters providers add under their
/// own names. Counts of an unexpected type are ignored: usage is reporting, not worth failing a response over.
/// </summary>
internal static class UsageReader
{
    public static void Read(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        long? cached = null, cacheHit = null, cacheRead = null, cacheWrite = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                parts.PromptTokens = Count(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                parts.CompletionTokens = Count(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("prompt_cache_hit_tokens"u8))
            {
                // DeepSeek's name for cached prompt tokens.
                cacheHit = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                cacheRead = Count(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8) || reader.ValueTextEquals("cache_write_tokens"u8))
            {
                cacheWrite = Count(ref reader) ?? cacheWrite;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                reader.Read();
                ReadPromptDetails(ref reader, ref cached, ref cacheWrite);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        parts.CachedTokens = cached ?? cacheHit ?? cacheRead ?? 0;
        parts.CacheWriteTokens = cacheWrite ?? 0;
    }

    /// <summary><c>cached_tokens</c> (OpenAI) and <c>cache_write_tokens</c> (OpenRouter) inside <c>prompt_tokens_details</c>.</summary>
    private static void ReadPromptDetails(ref Utf8JsonReader reader, ref long? cached, ref long? cacheWrite)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = Count(ref reader) ?? cached;
            }
            else if (reader.ValueTextEquals("cache_write_tokens"u8))
            {
                cacheWrite = Count(ref reader) ?? cacheWrite;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>Reads the value after a property name as a non-negative count; some servers write counts as <c>12.0</c>.</summary>
    private static long? Count(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.Number)
        {
            reader.Skip();
            return null;
        }

        if (reader.TryGetInt64(out var count))
        {
            return Math.Max(count, 0);
        }

        return reader.TryGetDouble(out var real) && double.IsFinite(real) && real > 0 && real < long.MaxValue ? (long)real : 0;
    }
}
