using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion;

/// <summary>Where a keep-alive ping may go in a relayed Anthropic stream: between two whole events, and only before its end.</summary>
public class PassthroughRelayTests
{
    private static PassthroughRelay Relay(params string[] forwarded)
    {
        var relay = new PassthroughRelay(PipeWriter.Create(new MemoryStream()));
        foreach (var bytes in forwarded)
        {
            relay.Forward(Encoding.UTF8.GetBytes(bytes));
        }

        return relay;
    }

    [Test]
    [Arguments("event: message_start\ndata: {}\n\n")]
    [Arguments("event: message_start\r\ndata: {}\r\n\r\n")]
    [Arguments("event: message_start\ndata: {}\n", "\n")]
    public async Task TryWritePing_BetweenEvents_Writes(params string[] forwarded)
    {
        await Assert.That(Relay(forwarded).TryWritePing()).IsEqualTo(PingOutcome.Written);
    }

    [Test]
    [Arguments("event: message_start\ndata: {}\n")]
    [Arguments("event: content_block_delta\ndata: {\"ty")]
    [Arguments("event: message_start\r\ndata: {}\r\n")]
    public async Task TryWritePing_InsideAnEvent_WaitsForItsEnd(string forwarded)
    {
        await Assert.That(Relay(forwarded).TryWritePing()).IsEqualTo(PingOutcome.NotNow);
    }

    [Test]
    public async Task TryWritePing_BeforeAnything_WaitsForTheFirstEvent()
    {
        await Assert.That(Relay().TryWritePing()).IsEqualTo(PingOutcome.NotNow);
    }

    [Test]
    public async Task TryWritePing_AfterMessageStopOrTheEndOfTheUpstream_StopsThePings()
    {
        var stopped = Relay("event: message_stop\ndata: {}\n\n");
        var closed = Relay("event: message_start\ndata: {}\n\n");
        closed.WriteEnd("anthropic");

        await Assert.That(stopped.TryWritePing()).IsEqualTo(PingOutcome.StreamEnded);
        await Assert.That(closed.TryWritePing()).IsEqualTo(PingOutcome.StreamEnded);
    }
}
