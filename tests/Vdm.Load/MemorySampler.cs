using System.Diagnostics;

namespace Vdm.Load;

/// <summary>
/// Reads vdm's VmRSS, threads and open files every <c>period</c> while the load runs, with the streams open on both sides at
/// that moment, so the report can say what memory full concurrency costs and not only the peak.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly Func<TimeSpan, MemorySample> _sample;
    private readonly Action<MemorySample> _onSample;
    private readonly List<MemorySample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="pid">vdm's process id.</param>
    /// <param name="period">Time between two readings.</param>
    /// <param name="streams">The stream counts to record with each reading: client side, upstream side, finished.</param>
    /// <param name="onSample">Called with each reading (for progress lines).</param>
    public MemorySampler(int pid, TimeSpan period, Func<(int Client, int Upstream, int Finished)> streams, Action<MemorySample> onSample)
    {
        _pid = pid;
        _onSample = onSample;
        _sample = at =>
        {
            var (client, upstream, finished) = streams();
            var status = ProcFiles.Status(pid);
            return new MemorySample(at, status.RssKiB, status.Threads, ProcFiles.OpenFiles(pid), client, upstream, finished);
        };
        _loop = RunAsync(period, _stop.Token);
    }

    /// <summary>The readings so far; complete once the sampler is disposed.</summary>
    public IReadOnlyList<MemorySample> Samples => _samples;

    /// <summary>Why sampling stopped early (vdm exited), if it did.</summary>
    public string? Stopped { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                MemorySample sample;
                try
                {
                    sample = _sample(Stopwatch.GetElapsedTime(started));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    // /proc/<pid> is gone: vdm died under load, which the report must say rather than crash on.
                    Stopped = $"vdm (pid {_pid}) could no longer be read: {exception.Message}";
                    return;
                }

                _samples.Add(sample);
                _onSample(sample);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the load is over.
        }
    }
}
