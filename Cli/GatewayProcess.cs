using System.Diagnostics;

namespace Vdm.Cli;

/// <summary>
/// A gateway <c>vdm wrap</c> started for one claude session: <c>vdm server start</c> as a child process.
/// </summary>
/// <remarks>
/// A child rather than a server inside wrap's own process, for two reasons. Its logs: they must not reach the terminal
/// claude draws its interface on, and a child's stdout and stderr are simply pipes that wrap copies, line by line, into
/// a log file (drained to the end, so the gateway never blocks on a full pipe, the original's bug), while an in-process
/// host logs to the console. And its signals: a host inside wrap stops itself on the SIGINT or SIGTERM that wrap must
/// pass to claude and survive; a child is only stopped when wrap decides, for it leaves wrap's process group, where
/// the terminal's Ctrl+C would reach it too (<see cref="GatewayLaunch.WrappedMarker"/>). The child's "listening on"
/// banner line (text logs, whatever LOG_FORMAT says) tells when it is ready and on which port (port 0 included), without
/// polling. The cost: a child survives a SIGKILL of wrap; the next wrap on that port then reuses it.
/// </remarks>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private const string ListeningMarker = " listening on ";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _drained;

    private GatewayProcess(Process process, StreamWriter log, Task drained)
    {
        _process = process;
        _log = log;
        _drained = drained;
    }

    /// <summary>Where clients reach the gateway, from its banner.</summary>
    public Uri? Url { get; private set; }

    /// <summary>Starts the gateway and waits until it listens; on failure, null and what its output said.</summary>
    public static async Task<(GatewayProcess? Gateway, string? Problem)> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        Directory.CreateDirectory(Path.GetDirectoryName(launch.LogPath)!);
        var log = new StreamWriter(new FileStream(launch.LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var info = new ProcessStartInfo(launch.Executable)
        {
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            process.Dispose();
            await log.DisposeAsync().ConfigureAwait(false);
            return (null, $"cannot run {launch.Executable}: {exception.Message}");
        }

        // The gateway reads nothing; an open terminal as its stdin would only compete with claude.
        process.StandardInput.Close();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        var drained = Task.WhenAll(
            CopyAsync(process.StandardError, log, output, listening),
            CopyAsync(process.StandardOutput, log, output, listening));
        var gateway = new GatewayProcess(process, log, drained);

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(ReadyTimeout, waiting.Token)).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        if (first == listening.Task)
        {
            gateway.Url = await listening.Task.ConfigureAwait(false);
            return (gateway, null);
        }

        string problem;
        if (first == exited)
        {
            await drained.WaitAsync(DrainTimeout, CancellationToken.None).ConfigureAwait(false);
            lock (output)
            {
                problem = $"the gateway exited with code {process.ExitCode} before it listened:" +
                    string.Concat(output.Select(line => "\n  " + line));
            }
        }
        else
        {
            problem = cancellationToken.IsCancellationRequested ? "interrupted while the gateway started" : $"the gateway did not listen within {ReadyTimeout.TotalSeconds:0} s";
        }

        await gateway.DisposeAsync().ConfigureAwait(false);
        return (null, problem);
    }

    /// <summary>Stops the gateway as SIGTERM does (gracefully, in-flight requests get their grace); killed after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        // Windows has no SIGTERM to send; there the gateway is killed.
        if (!_process.HasExited && (OperatingSystem.IsWindows() || !PosixNative.Signal(_process.Id, PosixNative.SIGTERM) || !await ExitsWithinAsync(grace).ConfigureAwait(false)))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await _drained.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grandchild holding the pipes open would keep them from closing; the log just ends here.
        }
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CopyAsync(StreamReader source, StreamWriter log, List<string> output, TaskCompletionSource<Uri> listening)
    {
        while (await source.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            lock (output)
            {
                log.WriteLine(line);

                // Kept for the error report until the gateway listens; after that the log file has it all.
                if (!listening.Task.IsCompleted)
                {
                    output.Add(line);
                }
            }

            // The banner's first line: "vdm 0.1.0 listening on http://127.0.0.1:8082".
            var marker = line.IndexOf(ListeningMarker, StringComparison.Ordinal);
            if (marker > 0 && Uri.TryCreate(line[(marker + ListeningMarker.Length)..].Trim(), UriKind.Absolute, out var url))
            {
                listening.TrySetResult(url);
            }
        }
    }
}
