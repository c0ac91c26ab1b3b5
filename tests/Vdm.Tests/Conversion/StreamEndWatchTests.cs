using System.Text;
using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class StreamEndWatchTests
{
    private static bool Watch(params string[] reads)
    {
        var watch = StreamEndWatch.ForAnthropic();
        foreach (var read in reads)
        {
            watch.Observe(Encoding.UTF8.GetBytes(read));
        }

        return watch.Seen;
    }

    [Test]
    public async Task Observe_MessageStopInOneRead_IsSeen()
    {
        await Assert.That(Watch("event: ping\ndata: {}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")).IsTrue();
    }

    [Test]
    [Arguments(1)]
    [Arguments(7)]
    [Arguments(15)]
    [Arguments(30)]
    public async Task Observe_MessageStopSplitAcrossReads_IsSeen(int cut)
    {
        const string Stream = "event: content_block_stop\ndata: {}\n\nevent: message_stop\ndata: {}\n\n";
        var at = Stream.IndexOf("message_stop", StringComparison.Ordinal) - 7 + cut;

        await Assert.That(Watch(Stream[..at], Stream[at..])).IsTrue();
    }

    [Test]
    public async Task Observe_OneByteAtATime_SeesTheEnd()
    {
        const string Stream = "event: error\ndata: {\"type\":\"error\"}\n\n";

        await Assert.That(Watch([.. Stream.Select(c => c.ToString())])).IsTrue();
    }

    [Test]
    public async Task Observe_StreamWithoutAnEnd_IsNotSeen()
    {
        await Assert.That(Watch("event: message_start\ndata: {}\n\n", "event: content_block_delta\ndata: {\"text\":\"message_sto\"}\n\n")).IsFalse();
    }

    [Test]
    public async Task Observe_StreamStartingWithItsEnd_IsSeen()
    {
        await Assert.That(Watch("event: error\ndata: {\"type\":\"error\"}\n\n")).IsTrue();
    }

    [Test]
    public async Task Observe_EndWordsInsideTheModelsText_AreNotAnEnd()
    {
        // Claude Code writing about SSE: the words arrive inside a JSON string, never at the start of a line.
        const string Delta = "event: content_block_delta\ndata: {\"delta\":{\"text\":\"then event: message_stop\\nevent: error\"}}\n\n";

        await Assert.That(Watch(Delta)).IsFalse();
        await Assert.That(Watch(Delta[..40], Delta[40..])).IsFalse();
    }

    [Test]
    [Arguments(0)]
    [Arguments(3)]
    [Arguments(9)]
    public async Task Observe_OpenAIDoneSplitAcrossReads_IsSeen(int cut)
    {
        const string Stream = "data: {\"choices\":[]}\n\ndata: [DONE]\n\n";
        var at = Stream.IndexOf("[DONE]", StringComparison.Ordinal) - 6 + cut;
        var watch = StreamEndWatch.ForOpenAI();
        watch.Observe(Encoding.UTF8.GetBytes(Stream[..at]));
        watch.Observe(Encoding.UTF8.GetBytes(Stream[at..]));

        await Assert.That(watch.Seen).IsTrue();
    }

    [Test]
    public async Task Observe_OpenAIDoneInsideContent_IsNotAnEnd()
    {
        var watch = StreamEndWatch.ForOpenAI();
        watch.Observe("data: {\"choices\":[{\"delta\":{\"content\":\"print('data: [DONE]')\"}}]}\n\n"u8);

        await Assert.That(watch.Seen).IsFalse();
    }
}
