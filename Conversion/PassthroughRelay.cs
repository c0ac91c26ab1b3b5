using System.Buffers;
using System.IO.Pipelines;

namespace Vdm.Conversion;

/// <summary>
/// The state of one relayed Anthropic stream: what has been forwarded so far, whether the answer has ended, and
/// whether the client stream is between two events, where a keep-alive <c>ping</c> may go without splitting an event.
/// Used under the keep-alive gate, so the relay and the pings never write at once.
/// </summary>
internal sealed class PassthroughRelay(PipeWriter client)
{
    private static readonly byte[] Ping = "event: ping\ndata: {\"type\":\"ping\"}\n\n"u8.ToArray();

    // The last four bytes forwarded, newest lowest: ending "\n\n" or "\r\n\r\n" means the client has every event whole.
    private uint _tail;
    private bool _forwarded;
    private bool _ended;

    public StreamEndWatch End { get; } = StreamEndWatch.ForAnthropic();

    public void Forward(ReadOnlySpan<byte> bytes)
    {
        End.Observe(bytes);
        client.Write(bytes);
        _forwarded = true;
        foreach (var b in bytes.Length > 4 ? bytes[^4..] : bytes)
        {
            _tail = (_tail << 8) | b;
        }
    }

    /// <summary>The upstream closed: a stream that stops before message_stop is a truncated answer, never a quiet success.</summary>
    public void WriteEnd(string provider)
    {
        _ended = true;
        if (End.Seen)
        {
            return;
        }

        AnthropicErrorBody.WriteEvent(client, AnthropicErrorTypes.Api, $"the stream of provider '{provider}' ended before message_stop");
    }

    /// <summary>A ping, once the provider's first event has gone out whole and while the client is between events.</summary>
    public Streaming.PingOutcome TryWritePing()
    {
        if (End.Seen || _ended)
        {
            return Streaming.PingOutcome.StreamEnded;
        }

        if (!_forwarded || !AtEventBoundary)
        {
            return Streaming.PingOutcome.NotNow;
        }

        client.Write(Ping);
        return Streaming.PingOutcome.Written;
    }

    private bool AtEventBoundary => (_tail & 0xFFFF) == 0x0A0A || _tail == 0x0D0A0D0A;
}
