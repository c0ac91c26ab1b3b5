using System.Text.Json;

namespace Vdm.Conversion;

/// <summary>
/// An OpenAI <c>usage</c> object with the cache counters providers report under their own names, and its meaning in
/// Anthropic's terms (peers.md §3.3 item 53). One reader for whole responses and streams alike, so the same upstream
/// never reports different usage streamed and not streamed.
/// </summary>
internal readonly record struct OpenAIUsage(long PromptTokens, long CompletionTokens, long CachedTokens, long CacheWriteTokens)
{
    /// <summary>Prompt tokens neither read from nor written to a cache, so that the three input counts add up to the prompt.</summary>
    public long InputTokens => Math.Max(0, PromptTokens - CachedTokens - CacheWriteTokens);

    /// <summary>
    /// Reads the value the reader is on. Anything but an object (OpenAI sends <c>"usage": null</c> on all chunks but
    /// the last) is skipped and gives false; counts of an unexpected type count as 0, since usage is reporting and
    /// not worth failing an answer over.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, out OpenAIUsage usage)
    {
        usage = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        long prompt = 0, completion = 0;
        long? cached = null, cacheHit = null, cacheRead = null, cacheWrite = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = Count(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = Count(ref reader) ?? 0;
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

        usage = new OpenAIUsage(prompt, completion, cached ?? cacheHit ?? cacheRead ?? 0, cacheWrite ?? 0);
        return true;
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
