using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>
/// Guards the steady state of the stream translator: once a stream's buffers are pooled, a chunk costs no heap
/// allocation. Each stream is translated from a <see cref="MemoryStream"/> into <see cref="Stream.Null"/>, whose
/// reads and flushes complete synchronously, so the whole translation runs on the test's thread and the per-thread
/// counter sees all of it and none of the tests running in parallel.
/// </summary>
public class OpenAIToAnthropicStreamAllocationTests
{
    private const int ShortStream = 1_000;
    private const int LongStream = 5_000;

    // The smallest object is 24 bytes, so anything allocated per chunk shows well above this bound.
    private const double MaxBytesPerChunk = 16;

    private const string Head = """data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735689600,"model":"gpt-4o","choices":[{"index":0,"delta":""";

    [Test]
    public async Task TranslateAsync_LongTextStream_AllocatesNothingPerChunk()
    {
        var perChunk = PerChunkAllocation(TextStream);

        await Assert.That(perChunk).IsLessThan(MaxBytesPerChunk);
    }

    [Test]
    public async Task TranslateAsync_LongToolArgumentStream_AllocatesNothingPerChunk()
    {
        var perChunk = PerChunkAllocation(ToolArgumentStream);

        await Assert.That(perChunk).IsLessThan(MaxBytesPerChunk);
    }

    /// <summary>What the extra chunks of the long stream cost: the per-stream setup is the same for both lengths.</summary>
    private static double PerChunkAllocation(Func<int, byte[]> build)
    {
        var shorter = build(ShortStream);
        var longer = build(LongStream);

        // The first runs pay for JIT, static initializers and filling the array pools.
        Allocated(shorter);
        Allocated(longer);

        // The least of a few runs, so that a pool trimmed by a collection in between does not count as the stream's.
        long shortest = long.MaxValue, longest = long.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            shortest = Math.Min(shortest, Allocated(shorter));
            longest = Math.Min(longest, Allocated(longer));
        }

        return (double)(longest - shortest) / (LongStream - ShortStream);
    }

    private static long Allocated(byte[] upstream)
    {
        var client = PipeWriter.Create(Stream.Null, new StreamPipeWriterOptions(leaveOpen: true));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var translation = OpenAIToAnthropicStream.TranslateAsync(
            new MemoryStream(upstream, writable: false), client, StreamTranscript.Routed, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (!translation.IsCompleted)
        {
            throw new InvalidOperationException("The translation went asynchronous, so this thread's count missed part of it.");
        }

        translation.GetAwaiter().GetResult();
        client.Complete();
        return allocated;
    }

    private static byte[] TextStream(int chunks)
    {
        var text = new StringBuilder();
        text.Append(Head).Append("""{"role":"assistant","content":""},"finish_reason":null}]}""").Append("\n\n");
        for (var i = 0; i < chunks; i++)
        {
            text.Append(Head).Append("""{"content":" word""").Append(i).Append("""\u00e9"},"finish_reason":null}]}""").Append("\n\n");
        }

        return Finish(text, "stop");
    }

    private static byte[] ToolArgumentStream(int chunks)
    {
        var text = new StringBuilder();
        text.Append(Head)
            .Append("""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"Edit","arguments":"{\"old\":\""}}]},"finish_reason":null}]}""")
            .Append("\n\n");
        for (var i = 0; i < chunks; i++)
        {
            text.Append(Head).Append("""{"tool_calls":[{"index":0,"function":{"arguments":"part """).Append(i).Append("""\n"}}]},"finish_reason":null}]}""").Append("\n\n");
        }

        text.Append(Head).Append("""{"tool_calls":[{"index":0,"function":{"arguments":"\"}"}}]},"finish_reason":null}]}""").Append("\n\n");
        return Finish(text, "tool_calls");
    }

    private static byte[] Finish(StringBuilder text, string finishReason)
    {
        text.Append(Head).Append("""{},"finish_reason":""").Append('"').Append(finishReason).Append("\"}]}\n\n");
        text.Append("""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":21873,"completion_tokens":240}}""").Append("\n\n");
        text.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
