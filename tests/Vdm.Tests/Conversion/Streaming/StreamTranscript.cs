using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>
/// Runs the stream translator over an upstream transcript the way the network would deliver it: whole, one byte per
/// read, and at random cut points (fixed seeds). Every delivery must give the same bytes, and the result must pass the
/// Anthropic SDK-style <see cref="AnthropicStreamAccumulator"/>.
/// </summary>
internal static class StreamTranscript
{
    public static readonly ConversionContext Routed = new("sonnet", "gpt-x", "openai");

    public const string Head = """
        {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
        {"type":"ping"}
        """;

    /// <summary>Translates <paramref name="upstream"/> under every delivery and returns the (identical) output.</summary>
    public static async Task<string> TranslateAllWaysAsync(string upstream, ConversionContext? context = null, bool byteByByte = true)
    {
        var bytes = Encoding.UTF8.GetBytes(upstream);
        var whole = await TranslateAsync(bytes, _ => bytes.Length, context);
        var deliveries = new List<Func<int, int>>();
        if (byteByByte)
        {
            deliveries.Add(_ => 1);
        }

        foreach (var seed in (int[])[1, 7, 42])
        {
            var random = new Random(seed);
            deliveries.Add(_ => random.Next(1, 64));
        }

        foreach (var delivery in deliveries)
        {
            var output = await TranslateAsync(bytes, delivery, context);
            if (output != whole)
            {
                throw new InvalidOperationException($"A split delivery changed the output:\n{output}\n--- whole ---\n{whole}");
            }
        }

        AnthropicStreamAccumulator.Replay(whole);
        return whole;
    }

    /// <summary>Translates with reads of the sizes <paramref name="nextReadSize"/> gives.</summary>
    public static async Task<string> TranslateAsync(byte[] upstream, Func<int, int> nextReadSize, ConversionContext? context = null, long inputTokens = 0)
    {
        var toolIds = 0;
        using var client = new MemoryStream();
        var writer = PipeWriter.Create(client);
        await OpenAIToAnthropicStream.TranslateAsync(
            new ChunkedStream(upstream, nextReadSize),
            writer,
            context ?? Routed,
            inputTokens,
            prefix => prefix == "msg_" ? "msg_test" : $"{prefix}{++toolIds}",
            CancellationToken.None);
        await writer.CompleteAsync();
        return Encoding.UTF8.GetString(client.ToArray());
    }

    /// <summary>The data lines of an Anthropic stream, one per event (event names are checked by the accumulator).</summary>
    public static string DataLines(string anthropicStream) => string.Join('\n', anthropicStream
        .Split('\n')
        .Where(line => line.StartsWith("data: ", StringComparison.Ordinal))
        .Select(line => line["data: ".Length..]));

    /// <summary>An upstream SSE text from data payloads, one event each.</summary>
    public static string Sse(string dataLines) => string.Concat(dataLines
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => $"data: {line}\n\n"));

    /// <summary>A stream that returns at most the given number of bytes per read.</summary>
    private sealed class ChunkedStream(byte[] content, Func<int, int> nextReadSize) : Stream
    {
        private int _position;
        private int _reads;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var size = Math.Min(Math.Min(buffer.Length, nextReadSize(_reads++)), content.Length - _position);
            content.AsSpan(_position, size).CopyTo(buffer);
            _position += size;
            return size;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
