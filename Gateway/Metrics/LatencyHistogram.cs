namespace Vdm.Gateway.Metrics;

/// <summary>
/// A histogram with fixed bucket bounds in seconds, as Prometheus exposes one: a count per bucket (not cumulative
/// here; the exposition adds them up), the number of observations and their sum. Recording is two interlocked adds
/// and one more per bucket search, never a lock.
/// </summary>
internal sealed class LatencyHistogram(double[] bounds)
{
    /// <summary>Request durations: from quick JSON answers to long agentic streams.</summary>
    public static readonly double[] DurationBounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

    /// <summary>Times to first token.</summary>
    public static readonly double[] FirstTokenBounds = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 60];

    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _count;
    private long _sumMicroseconds;

    public IReadOnlyList<double> Bounds => bounds;

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => Interlocked.Read(ref _sumMicroseconds) / 1_000_000.0;

    public void Record(TimeSpan value)
    {
        var seconds = value.TotalSeconds;
        var bucket = 0;
        while (bucket < bounds.Length && seconds > bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicroseconds, (long)(value.Ticks / 10.0));
        Interlocked.Increment(ref _count);
    }

    /// <summary>The observations at or below each bound, in order, then the total (Prometheus's <c>le="+Inf"</c>).</summary>
    public long[] Cumulative()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        return cumulative;
    }
}
