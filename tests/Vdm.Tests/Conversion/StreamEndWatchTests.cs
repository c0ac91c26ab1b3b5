using System.Text;
using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class StreamEndWatchTests
{
    private static bool Watch(params string[] reads)
    {
        var watch = new StreamEndWatch();
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
}
