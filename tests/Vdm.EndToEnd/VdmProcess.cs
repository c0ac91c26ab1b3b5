using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Vdm.EndToEnd;

/// <summary>
/// One run of the published binary in its own empty working directory and home, with exactly the environment the
/// test gives it (nothing inherited but PATH), so a developer's own keys or .env never leak in.
/// </summary>
internal sealed partial class VdmProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private VdmProcess(Process process, string directory)
    {
        _process = process;
        WorkingDirectory = directory;
    }

    public string WorkingDirectory { get; }

    public int Id => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>vdm</c> with <paramref name="args"/>; <paramref name="dotEnv"/> becomes ./.env when given;
    /// <paramref name="executable"/> runs the binary by another path, such as a link to it.
    /// </summary>
    public static VdmProcess Start(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? dotEnv = null, string? executable = null)
    {
        var directory = Directory.CreateTempSubdirectory("vdm-e2e-").FullName;
        if (dotEnv is not null)
        {
            File.WriteAllText(System.IO.Path.Combine(directory, ".env"), dotEnv);
        }

        var info = new ProcessStartInfo(executable ?? VdmBinary.Path)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        info.Environment["HOME"] = directory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var run = new VdmProcess(process, directory);
        process.OutputDataReceived += (_, e) => run.OnLine(run._stdout, e.Data, run._stdoutClosed);
        process.ErrorDataReceived += (_, e) =>
        {
            run.OnLine(run._stderr, e.Data, run._stderrClosed);
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                run._listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>Runs <c>vdm</c> to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? dotEnv = null)
    {
        await using var run = Start(args, environment, dotEnv);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, run.Stdout, run.Stderr);
    }

    /// <summary>The URL from the banner's "listening on" line, once the server prints it.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"vdm exited with {_process.ExitCode} before listening:\n{Stderr}");
        }

        return await _listening.Task;
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the group this process leads, as a terminal does on Ctrl+C.</summary>
    public void SignalGroup(int signal)
    {
        if (Kill(-_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill(-{_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Waits for the process to exit and for its output to be fully read, then returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; failing the test over it would not be.
        }
    }

    private void OnLine(StringBuilder buffer, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
