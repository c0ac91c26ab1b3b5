using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>Reads a response's <c>usage</c> object into its parts (the counting itself is <see cref="OpenAIUsage"/>'s).</summary>
internal static class UsageReader
{
    public static void Read(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        if (OpenAIUsage.TryRead(ref reader, out var usage))
        {
            parts.PromptTokens = usage.PromptTokens;
            parts.CompletionTokens = usage.CompletionTokens;
            parts.CachedTokens = usage.CachedTokens;
            parts.CacheWriteTokens = usage.CacheWriteTokens;
        }
    }
}
