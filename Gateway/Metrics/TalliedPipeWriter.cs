using System.IO.Pipelines;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// The client's response writer, with every byte written also shown to a <see cref="ResponseTally"/>: handed to the
/// stream relays in place of the response's own writer, so that counting needs nothing from the translators.
/// </summary>
internal sealed class TalliedPipeWriter(PipeWriter inner, ResponseTally tally) : PipeWriter
{
    // The buffer last handed out: Advance(n) commits the first n bytes of it (PipeWriter's contract).
    private Memory<byte> _lent;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        tally.ObserveStream(_lent.Span[..bytes]);
        _lent = default;
        inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        tally.ObserveStream(source.Span);
        return inner.WriteAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
