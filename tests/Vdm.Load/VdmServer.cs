using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vdm.Load;

/// <summary>
/// The published vdm under load: <c>vdm server start --port 0</c> in an empty working directory and home, so no
/// .env of the developer's is read, with one provider pointed at the fake upstream. Disposing it kills it.
/// </summary>
internal sealed partial class VdmServer : IAsyncDisposable
{
    private const int KeptLogLines = 20;

    private readonly Process _process;
    private readonly string _directory;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lastLines = new();
    private readonly List<string> _problems = [];
    private int _logLines;

    private VdmServer(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Lines vdm logged at warning level or above (its SimpleConsole "warn:", "fail:", "crit:" lines).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>How many lines vdm wrote to stderr (one per finished request at the default INFO level).</summary>
    public int LogLines => Volatile.Read(ref _logLines);

    /// <param name="extraEnvironment">Set last, so it may also replace a variable set here (for GC or logging experiments).</param>
    public static VdmServer Start(string binary, UpstreamFormat format, Uri upstream, IEnumerable<KeyValuePair<string, string>> extraEnvironment)
    {
        var directory = Directory.CreateTempSubdirectory("vdm-load-").FullName;
        var info = new ProcessStartInfo(binary)
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("server");
        info.ArgumentList.Add("start");
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");

        // Nothing inherited but PATH: no provider keys, proxies or vdm settings from the shell running the test.
        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        info.Environment["HOME"] = directory;
        if (format == UpstreamFormat.OpenAI)
        {
            info.Environment["OPENAI_API_KEY"] = "k";
            info.Environment["OPENAI_BASE_URL"] = new Uri(upstream, "/v1").ToString();
        }
        else
        {
            info.Environment["ANTHROPIC_API_KEY"] = "k";
            info.Environment["ANTHROPIC_BASE_URL"] = upstream.ToString().TrimEnd('/');
        }

        foreach (var (name, value) in extraEnvironment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var server = new VdmServer(process, directory);
        process.ErrorDataReceived += (_, e) => server.OnStderr(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    /// <summary>vdm's URL, from the "listening on http://…" line of its banner.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited).WaitAsync(timeout);
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"vdm exited with code {_process.ExitCode} before listening:\n{Tail()}");
        }

        return await _listening.Task;
    }

    /// <summary>vdm's last stderr lines, for a failure message.</summary>
    public string Tail()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started, or is gone already.
        }
        finally
        {
            _process.Dispose();
            TryDelete(_directory);
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _logLines);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLogLines)
            {
                _lastLines.Dequeue();
            }

            if (ProblemLine().IsMatch(line) && _problems.Count < KeptLogLines)
            {
                _problems.Add(line);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\b(warn|fail|crit):")]
    private static partial Regex ProblemLine();
}
