using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion.Streaming;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// A provider's response body as vdm reads it: each read may wait at most the idle timeout for the next bytes (a
/// healthy stream has no limit on its total length), and stops when the gateway's shutdown grace has run out. Either
/// ends the read with <see cref="UpstreamReadStopped"/>; a client that leaves cancels it as before. One timer per
/// body, re-armed per read without allocating, and disarmed between reads so a slow client is not blamed on the provider.
/// </summary>
internal sealed class UpstreamStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly string _provider;
    private readonly CancellationToken _clientAborted;
    private readonly CancellationToken _shutdown;
    private readonly CancellationTokenSource _stop;

    private UpstreamStream(Stream inner, TimeSpan idleTimeout, string provider, CancellationToken clientAborted, CancellationToken shutdown)
    {
        _inner = inner;
        _idleTimeout = idleTimeout;
        _provider = provider;
        _clientAborted = clientAborted;
        _shutdown = shutdown;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, shutdown);
    }

    /// <summary>With <c>VDM_DUMP_DIR</c>, the request's dump, shown every byte read.</summary>
    public Dumps.RequestDump? Dump { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Opens <paramref name="response"/>'s body for reading under these limits.</summary>
    public static async Task<Stream> OpenAsync(
        HttpResponseMessage response, TimeSpan idleTimeout, string provider, CancellationToken clientAborted, CancellationToken shutdown)
    {
        var inner = await response.Content.ReadAsStreamAsync(clientAborted).ConfigureAwait(false);
        return new UpstreamStream(inner, idleTimeout, provider, clientAborted, shutdown);
    }

    /// <summary>Opens the body of the answer to <paramref name="context"/>'s request under the gateway's limits.</summary>
    public static Task<Stream> OpenAsync(HttpResponseMessage response, HttpContext context, string provider)
    {
        var services = context.RequestServices;
        var opening = OpenAsync(response, services.GetRequiredService<GatewayState>().Settings.StreamReadTimeout, provider, context.RequestAborted,
            services.GetRequiredService<ShutdownGrace>().Over);
        return RequestContext.Of(context)?.Dump is { } dump ? DumpedAsync(opening, dump) : opening;
    }

    private static async Task<Stream> DumpedAsync(Task<Stream> opening, Dumps.RequestDump dump)
    {
        var stream = (UpstreamStream)await opening.ConfigureAwait(false);
        stream.Dump = dump;
        return stream;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Callers pass the client's token, which _stop already follows; any other token is followed for this read.
        using var registration = cancellationToken.CanBeCanceled && cancellationToken != _clientAborted
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _stop)
            : default;
        _stop.CancelAfter(_idleTimeout);
        try
        {
            var read = await _inner.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
            Dump?.UpstreamBody(buffer.Span[..read]);
            return read;
        }
        catch (OperationCanceledException exception) when (!_clientAborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw _shutdown.IsCancellationRequested
                ? new UpstreamReadStopped($"vdm is shutting down and ended the answer of provider '{_provider}'", exception)
                : new UpstreamReadStopped(
                    $"provider '{_provider}' sent nothing for {_idleTimeout.TotalSeconds:0.###} s (STREAMING_READ_TIMEOUT_SECONDS)", isTimeout: true);
        }
        finally
        {
            if (!_stop.IsCancellationRequested)
            {
                _stop.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _stop.Dispose();
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
