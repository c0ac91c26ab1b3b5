using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Vdm.Load;

/// <summary>
/// What the fake provider streams: a provider's answer of <c>chunks</c> text pieces, one per interval, the k-th
/// reading "k|", so the client can tell a lost piece from a duplicated one. Each event is written and flushed on its
/// own, as a provider does while it generates.
/// </summary>
internal static class SlowStreams
{
    private const string ChunkHead = """{"id":"chatcmpl-load","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o","choices":[""";

    /// <summary>A Chat Completions stream: a role chunk, the text chunks, a finish chunk, a usage chunk, then [DONE].</summary>
    public static async Task WriteOpenAIAsync(PipeWriter body, int chunks, TimeSpan interval, CancellationToken cancellationToken)
    {
        await WriteAsync(body, $$"""data: {{ChunkHead}}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""", cancellationToken);
        for (var k = 0; k < chunks; k++)
        {
            await PauseAsync(interval, cancellationToken);
            await WriteAsync(body, $$"""data: {{ChunkHead}}{"index":0,"delta":{"content":"{{Piece(k)}}"},"finish_reason":null}]}""", cancellationToken);
        }

        await WriteAsync(body, $$"""data: {{ChunkHead}}{"index":0,"delta":{},"finish_reason":"stop"}]}""", cancellationToken);
        await WriteAsync(body, $$$"""data: {{{ChunkHead}}}],"usage":{"prompt_tokens":8,"completion_tokens":{{{chunks}}},"total_tokens":{{{chunks + 8}}}}}""", cancellationToken);
        await WriteAsync(body, "data: [DONE]", cancellationToken);
    }

    /// <summary>A Messages stream, event for event as Anthropic sends one (the ping after the block start included).</summary>
    public static async Task WriteAnthropicAsync(PipeWriter body, int chunks, TimeSpan interval, CancellationToken cancellationToken)
    {
        await WriteAsync(body, """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_load","type":"message","role":"assistant","model":"claude-load","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}}
            """, cancellationToken);
        await WriteAsync(body, """
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
            """, cancellationToken);
        await WriteAsync(body, "event: ping\ndata: {\"type\": \"ping\"}", cancellationToken);
        for (var k = 0; k < chunks; k++)
        {
            await PauseAsync(interval, cancellationToken);
            await WriteAsync(body, $$$"""
                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"{{{Piece(k)}}}"}}
                """, cancellationToken);
        }

        await WriteAsync(body, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}", cancellationToken);
        await WriteAsync(body, $$$"""
            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":{{{chunks}}}}}
            """, cancellationToken);
        await WriteAsync(body, "event: message_stop\ndata: {\"type\":\"message_stop\"}", cancellationToken);
    }

    /// <summary>The text every stream must arrive with: "0|1|…|chunks-1|".</summary>
    public static string ExpectedText(int chunks)
    {
        var text = new StringBuilder(chunks * 4);
        for (var k = 0; k < chunks; k++)
        {
            text.Append(Piece(k));
        }

        return text.ToString();
    }

    private static string Piece(int k) => k.ToString(CultureInfo.InvariantCulture) + "|";

    private static Task PauseAsync(TimeSpan interval, CancellationToken cancellationToken) =>
        interval > TimeSpan.Zero ? Task.Delay(interval, cancellationToken) : Task.CompletedTask;

    private static async Task WriteAsync(PipeWriter body, string sseEvent, CancellationToken cancellationToken)
    {
        // PipeWriter.WriteAsync flushes: every event leaves at once, as it would from a provider generating tokens.
        await body.WriteAsync(Encoding.UTF8.GetBytes(sseEvent + "\n\n"), cancellationToken);
    }
}
