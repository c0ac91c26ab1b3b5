namespace Vdm.Conversion.Streaming;

/// <summary>Cumulative token counts for the final <c>message_delta</c>, already in Anthropic's terms.</summary>
/// <param name="InputTokens">Prompt tokens not read from the provider's cache.</param>
/// <param name="OutputTokens">Completion tokens, reasoning included.</param>
/// <param name="CacheReadInputTokens">Prompt tokens read from the provider's cache.</param>
internal readonly record struct StreamUsage(long InputTokens, long OutputTokens, long CacheReadInputTokens);
