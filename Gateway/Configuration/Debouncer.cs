namespace Vdm.Gateway.Configuration;

/// <summary>
/// Runs an action once a burst of pokes has been quiet for a while: an editor's save is several file events (write,
/// truncate, rename, attribute change), and the configuration should be read once, after the last of them.
/// </summary>
internal sealed class Debouncer : IDisposable
{
    private readonly ITimer _timer;
    private readonly TimeSpan _quiet;
    private bool _disposed;

    /// <param name="time">The clock of the timer; tests pass one they move by hand.</param>
    /// <param name="quiet">How long no poke may come before the action runs.</param>
    /// <param name="action">Runs on a timer thread; it should not throw.</param>
    public Debouncer(TimeProvider time, TimeSpan quiet, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _quiet = quiet;
        _timer = time.CreateTimer(static state => ((Action)state!)(), action, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>(Re)starts the quiet period; the action runs when it ends without another poke. Does nothing once disposed.</summary>
    public void Poke()
    {
        // A file event raised while the watcher is being disposed (the server stopping) may poke after Dispose: it is
        // dropped rather than thrown on a thread-pool thread, where ObjectDisposedException would end the process.
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        try
        {
            _timer.Change(_quiet, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the change.
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _timer.Dispose();
    }
}
