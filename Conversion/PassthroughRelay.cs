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

    // The last two bytes forwarded: "\n\n" (or the end of "\r\n\r\n") means the client has every event whole.
    private (byte Previous, byte Last) _tail;
    private bool _forwarded;

    public StreamEndWatch End { get; } = new();

    public void Forward(ReadOnlySpan<byte> bytes)
    {
        End.Observe(bytes);
        client.Write(bytes);
        _forwarded = true;
        _tail = bytes.Length == 1 ? (_tail.Last, bytes[0]) : (bytes[^2], bytes[^1]);
    }

    /// <summary>The upstream closed: a stream that stops before message_stop is a truncated answer, never a quiet success.</summary>
    public void WriteEnd(string provider)
    {
        if (End.Seen)
        {
            return;
        }

        using var error = new Json.PooledBufferWriter(256);
        error.Write("\n\nevent: error\ndata: "u8);
        AnthropicErrorBody.Write(error, AnthropicErrorTypes.Api, $"the stream of provider '{provider}' ended before message_stop");
        error.Write("\n\n"u8);
        client.Write(error.WrittenSpan);
    }

    /// <summary>A ping, once the provider's first event has gone out whole and while the client is between events.</summary>
    public Streaming.PingOutcome TryWritePing()
    {
        if (End.Seen)
        {
            return Streaming.PingOutcome.StreamEnded;
        }

        if (!_forwarded || _tail != ((byte)'\n', (byte)'\n'))
        {
            return Streaming.PingOutcome.NotNow;
        }

        client.Write(Ping);
        return Streaming.PingOutcome.Written;
    }
}
