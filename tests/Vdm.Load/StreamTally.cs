using System.Collections.Concurrent;

namespace Vdm.Load;

/// <summary>
/// The outcome of every stream, kept as they finish from many threads: passes, failures counted by kind with the
/// first few in full, the streams open now, and each stream's time to first event and longest silence.
/// </summary>
internal sealed class StreamTally(int streams)
{
    private const int KeptFailures = 5;

    private readonly ConcurrentDictionary<string, int> _failuresByKind = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _firstFailures = new();
    private readonly double[] _firstEventMs = Filled(streams);
    private readonly double[] _longestGapMs = Filled(streams);
    private int _passed;
    private int _failed;

    /// <summary>Streams whose answer has begun (status 200 received) and not yet ended.</summary>
    public PeakCounter Open { get; } = new();

    public int Passed => Volatile.Read(ref _passed);

    public int Failed => Volatile.Read(ref _failed);

    public int Finished => Passed + Failed;

    public IReadOnlyDictionary<string, int> FailuresByKind => _failuresByKind;

    public IReadOnlyCollection<string> FirstFailures => _firstFailures;

    public void Pass(int stream, TimeSpan firstEvent, TimeSpan longestGap)
    {
        _firstEventMs[stream] = firstEvent.TotalMilliseconds;
        _longestGapMs[stream] = longestGap.TotalMilliseconds;
        Interlocked.Increment(ref _passed);
    }

    public void Fail(int stream, StreamFailure failure)
    {
        Interlocked.Increment(ref _failed);
        _failuresByKind.AddOrUpdate(failure.Kind, 1, static (_, count) => count + 1);

        // Good enough as a cap: a few extra may slip in when failures race, which does no harm.
        if (_firstFailures.Count < KeptFailures)
        {
            _firstFailures.Enqueue($"stream {stream}: {failure.Kind}: {failure.Detail}");
        }
    }

    /// <summary>Time from sending the request to vdm's first event, over the streams that passed (ms).</summary>
    public IReadOnlyList<double> FirstEventMs() => Measured(_firstEventMs);

    /// <summary>Each passed stream's longest wait between two events (ms): the upstream's interval plus vdm's delay.</summary>
    public IReadOnlyList<double> LongestGapMs() => Measured(_longestGapMs);

    private static double[] Filled(int count)
    {
        var values = new double[count];
        Array.Fill(values, double.NaN);
        return values;
    }

    private static double[] Measured(double[] values)
    {
        var measured = values.Where(value => !double.IsNaN(value)).ToArray();
        Array.Sort(measured);
        return measured;
    }
}
