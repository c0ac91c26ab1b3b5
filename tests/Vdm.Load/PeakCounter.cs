namespace Vdm.Load;

/// <summary>A count of things open at once (streams), and the most that were ever open together; thread-safe.</summary>
internal sealed class PeakCounter
{
    private int _current;
    private int _peak;

    public int Current => Volatile.Read(ref _current);

    public int Peak => Volatile.Read(ref _peak);

    public void Increment()
    {
        var current = Interlocked.Increment(ref _current);
        var peak = Volatile.Read(ref _peak);
        while (current > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peak, current, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    public void Decrement() => Interlocked.Decrement(ref _current);
}
