using System.Net;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// An upstream request body over pooled memory that says when it has been written out in full. Until then the HTTP
/// client may still read the memory (HTTP/2 sends a body while the answer arrives), so the memory may go back to its
/// pool early only once <see cref="Sent"/> is true; a stream that runs for minutes then no longer holds it.
/// </summary>
internal sealed class UpstreamContent(ReadOnlyMemory<byte> body) : HttpContent
{
    private volatile bool _sent;

    /// <summary>Whether the body was written out in full; the client no longer reads the memory once it has (the Stream contract).</summary>
    public bool Sent => _sent;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // The handler may send one content twice (a refused HTTP/2 stream, a stale pooled connection): each send
        // starts unsent.
        _sent = false;
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        _sent = true;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
