using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

public class SseEventReaderTests
{
    private static async Task<List<string>> ReadAllAsync(byte[] input, int readSize)
    {
        var pipe = new Pipe();
        var events = new List<string>();
        var feeding = Task.Run(async () =>
        {
            for (var offset = 0; offset < input.Length; offset += readSize)
            {
                await pipe.Writer.WriteAsync(input.AsMemory(offset, Math.Min(readSize, input.Length - offset)));
            }

            await pipe.Writer.CompleteAsync();
        });
        using var reader = new SseEventReader(pipe.Reader.AsStream(), initialBufferSize: 16);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            events.Add($"{Encoding.UTF8.GetString(reader.EventType)}|{Encoding.UTF8.GetString(reader.Data)}");
        }

        await feeding;
        return events;
    }

    private static async Task<List<string>> ReadEveryWayAsync(string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var whole = await ReadAllAsync(bytes, Math.Max(1, bytes.Length));
        foreach (var size in (int[])[1, 2, 3, 7])
        {
            var split = await ReadAllAsync(bytes, size);
            if (!split.SequenceEqual(whole))
            {
                throw new InvalidOperationException($"Reads of {size} bytes gave [{string.Join(", ", split)}]");
            }
        }

        return whole;
    }

    [Test]
    public async Task ReadAsync_LfCrLfAndLoneCr_AllEndLines()
    {
        var events = await ReadEveryWayAsync("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r\n\n");

        await Assert.That(events).IsEquivalentTo(["|a", "|b", "|c", "|d"]);
    }

    [Test]
    public async Task ReadAsync_DataWithOrWithoutSpace_KeepsOnlyTheFirstSpaceOut()
    {
        var events = await ReadEveryWayAsync("data:x\n\ndata:  y\n\ndata\n\n");

        await Assert.That(events).IsEquivalentTo(["|x", "| y", "|"]);
    }

    [Test]
    public async Task ReadAsync_SeveralDataLines_AreJoinedWithLineFeeds()
    {
        var events = await ReadEveryWayAsync("data: {\"a\":\ndata: 1}\n\n");

        await Assert.That(events).IsEquivalentTo(["|{\"a\":\n1}"]);
    }

    [Test]
    public async Task ReadAsync_CommentsAndUnknownFields_AreIgnored()
    {
        var events = await ReadEveryWayAsync(": keep-alive\n\nid: 7\nretry: 10\n: OPENROUTER PROCESSING\ndata: x\n\n");

        await Assert.That(events).IsEquivalentTo(["|x"]);
    }

    [Test]
    public async Task ReadAsync_EventLine_NamesOnlyItsOwnEvent()
    {
        var events = await ReadEveryWayAsync("event: error\ndata: e\n\ndata: m\n\nevent: lost\n\ndata: n\n\n");

        await Assert.That(events).IsEquivalentTo(["error|e", "|m", "|n"]);
    }

    [Test]
    public async Task ReadAsync_CodePointsSplitAcrossReads_AreReassembled()
    {
        var events = await ReadEveryWayAsync("data: héllo 🙂 世界\n\n");

        await Assert.That(events).IsEquivalentTo(["|héllo 🙂 世界"]);
    }

    [Test]
    public async Task ReadAsync_UnterminatedLastEvent_IsDroppedAndEndOfStreamReported()
    {
        using var reader = new SseEventReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: cut")));

        var first = await reader.ReadAsync(CancellationToken.None);
        var data = Encoding.UTF8.GetString(reader.Data);
        var second = await reader.ReadAsync(CancellationToken.None);

        await Assert.That(first).IsTrue();
        await Assert.That(data).IsEqualTo("a");
        await Assert.That(second).IsFalse();
        await Assert.That(reader.EndOfStream).IsTrue();
    }

    [Test]
    public async Task ReadAsync_FourMegabyteLine_IsReadWhole()
    {
        var payload = new string('x', 4 * 1024 * 1024);

        var events = await ReadAllAsync(Encoding.UTF8.GetBytes($"data: {payload}\n\ndata: next\n\n"), 64 * 1024);

        await Assert.That(events.Count).IsEqualTo(2);
        await Assert.That(events[0].Length).IsEqualTo(payload.Length + 1);
        await Assert.That(events[1]).IsEqualTo("|next");
    }

    [Test]
    public async Task TryRead_TakesOnlyEventsAlreadyRead()
    {
        using var reader = new SseEventReader(new MemoryStream(Encoding.UTF8.GetBytes("data: a\n\ndata: b\n\ndata: c")));

        var beforeAnyRead = reader.TryRead();
        var first = await reader.ReadAsync(CancellationToken.None);
        var firstData = Encoding.UTF8.GetString(reader.Data);
        var buffered = reader.TryRead();
        var bufferedData = Encoding.UTF8.GetString(reader.Data);
        var incomplete = reader.TryRead();

        await Assert.That(beforeAnyRead).IsFalse();
        await Assert.That(first).IsTrue();
        await Assert.That(firstData).IsEqualTo("a");
        await Assert.That(buffered).IsTrue();
        await Assert.That(bufferedData).IsEqualTo("b");
        await Assert.That(incomplete).IsFalse();
        await Assert.That(reader.EndOfStream).IsFalse();
        await Assert.That(await reader.ReadAsync(CancellationToken.None)).IsFalse();
    }
}
