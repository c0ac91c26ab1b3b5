using System.IO.Pipelines;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Sends the client a <c>ping</c> whenever a translated stream has been silent for the keep-alive interval:
/// reasoning models can think for minutes before their first token, and Claude Code's idle timers (and proxies on
/// the way) would give up. One timer per stream, checked a few times per interval; the translation and the pings
/// take turns on the client writer through a gate, which costs nothing when uncontended, so chunks that arrive
/// steadily allocate nothing for it.
/// </summary>
internal sealed class KeepAlive : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly PeriodicTimer _timer;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Task _loop;
    private long _lastWrite;

    private KeepAlive(TimeSpan interval, TimeProvider time, Func<PingOutcome> writePing, PipeWriter client, CancellationToken cancellationToken)
    {
        _interval = interval;
        _time = time;
        _lastWrite = time.GetTimestamp();

        // Checking four times per interval keeps the longest silence within 1.25 intervals.
        _timer = new PeriodicTimer(interval / 4, time);
        _loop = RunAsync(writePing, client, cancellationToken);
    }

    /// <param name="writePing">Writes a ping if the stream is at a point where one may go, and says what it did.</param>
    public static KeepAlive? Start(ConversionContext context, Func<PingOutcome> writePing, PipeWriter client, CancellationToken cancellationToken) =>
        context.KeepAliveInterval is { } interval && interval > TimeSpan.Zero
            ? new KeepAlive(interval, context.Time, writePing, client, cancellationToken)
            : null;

    /// <summary>Takes the client writer for the translation.</summary>
    public Task EnterAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    /// <summary>Gives the client writer back, after the translation wrote and flushed.</summary>
    public void Exit(bool wrote)
    {
        if (wrote)
        {
            Volatile.Write(ref _lastWrite, _time.GetTimestamp());
        }

        _gate.Release();
    }

    public async ValueTask DisposeAsync()
    {
        // Disposing the timer ends the loop's wait with false, not with an exception: a stream pays for no throw when
        // it ends (two of them, with their stack traces, were most of a short stream's cost).
        _timer.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Stopping is the point; and a ping that failed (the client gone) must not hide how the stream itself
            // ended, which the translation reports.
        }
        finally
        {
            _gate.Dispose();
        }
    }

    /// <param name="clientAborted">The client's own token. Stopping the loop is the timer's disposal, never a cancelled flush:
    /// Kestrel drops the whole connection when a pending flush is cancelled (the stream's last event may be on its way).</param>
    private async Task RunAsync(Func<PingOutcome> writePing, PipeWriter client, CancellationToken clientAborted)
    {
        while (await _timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_time.GetElapsedTime(Volatile.Read(ref _lastWrite)) < _interval)
            {
                continue;
            }

            await _gate.WaitAsync(clientAborted).ConfigureAwait(false);
            try
            {
                var outcome = writePing();
                if (outcome == PingOutcome.StreamEnded)
                {
                    return;
                }

                if (outcome == PingOutcome.NotNow)
                {
                    continue;
                }

                var flushed = await client.FlushAsync(clientAborted).ConfigureAwait(false);
                Volatile.Write(ref _lastWrite, _time.GetTimestamp());
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}

/// <summary>What a keep-alive ping callback did.</summary>
internal enum PingOutcome
{
    /// <summary>A ping was written; it is flushed, and the silence counts from now.</summary>
    Written,

    /// <summary>No ping may go right now (the stream is in the middle of an event); the next check tries again.</summary>
    NotNow,

    /// <summary>The stream has ended: no more pings.</summary>
    StreamEnded,
}
