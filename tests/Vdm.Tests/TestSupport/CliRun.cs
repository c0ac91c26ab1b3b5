using System.Text;
using Vdm.Cli;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.TestSupport;

/// <summary>
/// Runs the <c>vdm</c> command line in process against a private working directory, home and environment, and
/// captures what it writes to stdout and stderr.
/// </summary>
internal sealed class CliRun : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-cli-");

    public CliRun(params (string Name, string Value)[] environment)
    {
        Environment = environment.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);
    }

    public Dictionary<string, string> Environment { get; }

    public string WorkingDirectory => _directory.FullName;

    public StringWriter Output { get; } = new();

    public LineSignalingWriter Error { get; } = new();

    /// <summary>The clock the command sees; the real one unless a test fixes it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The server's log lines (which go to the real stderr too), for tests that wait for one.</summary>
    public LineSignalingWriter Logs { get; } = new();

    public void WriteFile(string relativePath, string text)
    {
        var path = Path.Combine(WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) => RunAsync(args, "", cancellationToken);

    /// <summary>Runs with <paramref name="input"/> as stdin, as piped (not a terminal): the answers to any questions.</summary>
    public async Task<int> RunAsync(string[] args, string input, CancellationToken cancellationToken = default)
    {
        using var reader = new StringReader(input);
        var context = new CliContext(new ConfigEnvironment(Environment, WorkingDirectory, WorkingDirectory), Output, Error)
        {
            Input = reader,
            Time = Time,
            ExtraLogs = new WriterLoggerProvider(Logs),
        };
        return await VdmCommand.RunAsync(args, context, cancellationToken);
    }

    public void Dispose()
    {
        Output.Dispose();
        Error.Dispose();
        Logs.Dispose();
        _directory.Delete(recursive: true);
    }
}

/// <summary>A thread-safe writer that lets a test await the first line containing some text.</summary>
internal sealed class LineSignalingWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Needle, TaskCompletionSource<string> Found)> _waiters = [];

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value == '\n')
            {
                var lines = _text.ToString().Split('\n');
                var line = lines[^2];
                foreach (var (needle, found) in _waiters)
                {
                    if (line.Contains(needle, StringComparison.Ordinal))
                    {
                        found.TrySetResult(line);
                    }
                }
            }
        }
    }

    public Task<string> WaitForLineAsync(string needle)
    {
        lock (_text)
        {
            var existing = _text.ToString().Split('\n').FirstOrDefault(line => line.Contains(needle, StringComparison.Ordinal));
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (existing is not null)
            {
                found.SetResult(existing);
            }
            else
            {
                _waiters.Add((needle, found));
            }

            return found.Task;
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
