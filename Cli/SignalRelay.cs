using System.Runtime.InteropServices;

namespace Vdm.Cli;

/// <summary>
/// Keeps <c>vdm wrap</c> alive through SIGINT, SIGTERM, SIGHUP and SIGQUIT and passes them on to claude, so wrap always
/// outlives claude, returns its exit code and stops the gateway it started. Before claude runs, such a signal cancels
/// <see cref="Stopping"/> instead.
/// </summary>
/// <remarks>
/// Ctrl+C and Ctrl+\ at a terminal already reach every process of the foreground group, claude included, so a SIGINT
/// or SIGQUIT that arrives while wrap is in the foreground is not sent again: a second Ctrl+C is how Claude Code is
/// told to quit. From anywhere else (<c>kill -INT</c>, a script, a supervisor) it is forwarded. SIGTERM never comes
/// from the terminal and SIGHUP ends claude either way, so both are always forwarded.
/// </remarks>
internal sealed class SignalRelay : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private int _childId;
    private int _firstSignal;

    private SignalRelay()
    {
        // Windows delivers Ctrl+C to every process of the console itself, and has no kill(2) to forward with.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var signal in (ReadOnlySpan<PosixSignal>)[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT])
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
        }
    }

    /// <summary>Cancelled when a signal arrives before claude runs.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The number of the first signal received, or 0.</summary>
    public int FirstSignal => Volatile.Read(ref _firstSignal);

    public static SignalRelay Start() => new();

    /// <summary>From now on, signals go to <paramref name="processId"/>; one that came in just before is sent now.</summary>
    public void Attach(int processId)
    {
        int pending;
        lock (_gate)
        {
            _childId = processId;
            pending = _firstSignal;
        }

        if (pending != 0)
        {
            PosixNative.Signal(processId, pending);
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // Never the default action (exit): wrap must wait for claude and stop its gateway.
        context.Cancel = true;
        var number = PosixNative.Number(context.Signal);
        int child;
        lock (_gate)
        {
            child = _childId;
            if (_firstSignal == 0)
            {
                _firstSignal = number;
            }
        }

        if (child == 0)
        {
            _stopping.Cancel();
            return;
        }

        if (context.Signal is PosixSignal.SIGINT or PosixSignal.SIGQUIT && PosixNative.InTerminalForeground())
        {
            return;
        }

        PosixNative.Signal(child, number);
    }
}
