using System.Runtime.InteropServices;

namespace Vdm.Cli;

/// <summary>
/// The libc calls <c>vdm wrap</c> needs and .NET does not offer: sending a signal other than SIGKILL to a child
/// (<see cref="System.Diagnostics.Process.Kill()"/> only kills), asking whether this process is in the terminal's
/// foreground, and, for the gateway wrap starts, leaving wrap's process group. Unix only; callers check
/// <see cref="OperatingSystem.IsWindows"/> first.
/// </summary>
internal static class PosixNative
{
    // The numbers are the same on Linux and macOS; PosixSignal's own values are .NET's, not the system's.
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGTERM = 15;

    public static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => SIGHUP,
        PosixSignal.SIGINT => SIGINT,
        PosixSignal.SIGQUIT => SIGQUIT,
        _ => SIGTERM,
    };

    /// <summary>Sends <paramref name="signal"/> to <paramref name="processId"/>; false when it is gone already.</summary>
    public static bool Signal(int processId, int signal) => Kill(processId, signal) == 0;

    /// <summary>
    /// Whether this process's group is the foreground group of the terminal on stdin: then a SIGINT or SIGQUIT came from
    /// the keyboard (Ctrl+C, Ctrl+\), and the terminal sent it to every process of the group, claude included.
    /// </summary>
    public static bool InTerminalForeground()
    {
        var foreground = TerminalForegroundGroup(0);
        return foreground > 0 && foreground == ProcessGroup();
    }

    /// <summary>
    /// Makes this process the leader of a new process group in its session, so that the signals a terminal sends to
    /// its foreground group (Ctrl+C, Ctrl+\, Ctrl+Z) no longer reach it; false when the system refused.
    /// </summary>
    public static bool LeaveProcessGroup() => SetProcessGroup(0, 0) == 0;

    // DllImport rather than LibraryImport, whose generated code needs AllowUnsafeBlocks: with only int arguments and
    // results there is nothing to marshal, so the runtime (and native AOT) calls these directly either way.
    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int processId, int signal);

    [DllImport("libc", EntryPoint = "tcgetpgrp")]
    private static extern int TerminalForegroundGroup(int fileDescriptor);

    [DllImport("libc", EntryPoint = "getpgrp")]
    private static extern int ProcessGroup();

    [DllImport("libc", EntryPoint = "setpgid")]
    private static extern int SetProcessGroup(int processId, int processGroupId);
}
