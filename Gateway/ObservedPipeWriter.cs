using System.IO.Pipelines;

namespace Vdm.Gateway;

/// <summary>Sees bytes on their way somewhere, without keeping them.</summary>
internal delegate void BytesObserver(ReadOnlySpan<byte> bytes);

/// <summary>
/// A writer that passes everything to <paramref name="inner"/> and shows every byte committed to an observer: the
/// response tally that counts usage, or a request dump. Handed out in place of the response's own writer, so the
/// translators and relays need to know nothing of either.
/// </summary>
internal sealed class ObservedPipeWriter(PipeWriter inner, BytesObserver observe) : PipeWriter
{
    // The buffer last handed out: Advance(n) commits the first n bytes of it (PipeWriter's contract).
    private Memory<byte> _lent;

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        observe(_lent.Span[..bytes]);
        _lent = default;
        inner.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        observe(source.Span);
        return inner.WriteAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
