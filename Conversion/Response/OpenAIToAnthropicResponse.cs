using System.Buffers;
using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>
/// Converts a complete OpenAI <c>chat.completion</c> body into an Anthropic Messages <c>message</c> body
/// (peers.md §3.3). The whole body is read before anything is written, so on an error nothing reaches the output.
/// </summary>
internal static class OpenAIToAnthropicResponse
{
    /// <summary>Writes the Anthropic message for <paramref name="openAIResponse"/>.</summary>
    /// <returns>Null when written; otherwise the error to answer with (nothing was written).</returns>
    public static ConversionError? Write(ReadOnlySpan<byte> openAIResponse, ConversionContext context, IBufferWriter<byte> output) =>
        Write(openAIResponse, context, output, ResponseIds.NewToken);

    /// <param name="newIdToken">The random part of minted ids; tests pass a deterministic one.</param>
    internal static ConversionError? Write(
        ReadOnlySpan<byte> openAIResponse,
        ConversionContext context,
        IBufferWriter<byte> output,
        Func<string> newIdToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(newIdToken);

        if (ChatCompletionReader.TryRead(openAIResponse, out var parts) is { } error)
        {
            return error;
        }

        // A failure reported in a 200 body (peers.md §3.3 item 49); with a usable choice the answer wins.
        if (!parts.HasChoice && parts.HasError)
        {
            var mapped = UpstreamErrorMapper.MapInBand(openAIResponse);
            return new ConversionError(mapped.Type, mapped.Message, mapped.Status);
        }

        using var writer = new Utf8JsonWriter(output, ResponseJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("id"u8, string.IsNullOrEmpty(parts.Id) ? ResponseIds.MessagePrefix + newIdToken() : parts.Id);
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        // The client's own model name, alias or not, so Claude Code sees what it asked for (peers.md §3.3 item 54).
        writer.WriteString("model"u8, context.RequestedModel);
        WriteContent(writer, parts, context.ToolNames, newIdToken);
        writer.WriteString("stop_reason"u8, StopReason(parts));
        // OpenAI never says which stop string matched.
        writer.WriteNull("stop_sequence"u8);
        WriteUsage(writer, parts);
        writer.WriteEndObject();
        return null;
    }

    private static string StopReason(ChatCompletionParts parts) =>
        string.IsNullOrEmpty(parts.Refusal)
            ? StopReasons.FromOpenAI(parts.FinishReason, parts.ToolCalls.Count > 0)
            : StopReasons.Refusal;

    /// <summary>Thinking, then text, then tool calls: the order Anthropic's own responses use (peers.md §3.3 item 44).</summary>
    private static void WriteContent(Utf8JsonWriter writer, ChatCompletionParts parts, ToolNameMap toolNames, Func<string> newIdToken)
    {
        writer.WriteStartArray("content"u8);
        if (parts.Thinking is { } thinking)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "thinking"u8);
            writer.WriteString("thinking"u8, thinking);
            // An empty signature marks the block as unsigned, so the request side knows not to replay it as Anthropic's.
            writer.WriteString("signature"u8, parts.ReasoningSignature ?? "");
            writer.WriteEndObject();
        }

        WriteText(writer, parts.Content);
        WriteText(writer, parts.Refusal);

        foreach (var call in parts.ToolCalls)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_use"u8);
            writer.WriteString("id"u8, call.Id ?? ResponseIds.ToolUsePrefix + newIdToken());
            writer.WriteString("name"u8, toolNames.ToClient(call.Name));
            writer.WritePropertyName("input"u8);
            writer.WriteRawValue(call.Input, skipInputValidation: true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a text block unless the text is empty: Anthropic rejects empty text blocks on replay.</summary>
    private static void WriteText(Utf8JsonWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }

    /// <summary>
    /// OpenAI's <c>prompt_tokens</c> counts every input token; Anthropic splits them so that input + cache creation +
    /// cache read is the total (peers.md §3.3 item 53). <c>completion_tokens</c> already includes reasoning.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter writer, ChatCompletionParts parts)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("input_tokens"u8, Math.Max(0, parts.PromptTokens - parts.CachedTokens - parts.CacheWriteTokens));
        writer.WriteNumber("output_tokens"u8, parts.CompletionTokens);
        writer.WriteNumber("cache_creation_input_tokens"u8, parts.CacheWriteTokens);
        writer.WriteNumber("cache_read_input_tokens"u8, parts.CachedTokens);
        writer.WriteEndObject();
    }
}
