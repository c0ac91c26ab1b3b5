using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Vdm.EndToEnd;

/// <summary>
/// The real Claude Code CLI, installed from npm once per machine and version: the release pinned in
/// <c>tests/Vdm.EndToEnd/claude-code/package.json</c> (the one place its version is written; <c>package-lock.json</c>
/// beside it holds the integrity hashes), installed with <c>npm ci</c> into
/// <c>$XDG_CACHE_HOME/vdm-tests/claude-code-{version}</c> (else <c>~/.cache/…</c>), outside the repository, where every
/// checkout and later run finds it. The package ships the native binary as an optional per-platform dependency, which
/// <c>npm ci</c> installs; it asks for Node 22 but installs under Node 20 with a warning. <c>.ci/run</c> installs it the
/// same way before the tests.
/// </summary>
internal sealed class ClaudeCodeInstallation
{
    private const string Package = "@anthropic-ai/claude-code";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly Lazy<Task<ClaudeCodeInstallation>> Shared = new(InstallAsync);

    private ClaudeCodeInstallation(string version, string? executable, string? unavailable)
    {
        Version = version;
        Executable = executable;
        Unavailable = unavailable;
    }

    /// <summary>The pinned version, such as <c>2.1.332</c>.</summary>
    public string Version { get; }

    /// <summary>The <c>claude</c> binary, when installed.</summary>
    public string? Executable { get; }

    /// <summary>Why Claude Code could not be installed (no npm, registry unreachable), with npm's own words.</summary>
    public string? Unavailable { get; }

    /// <summary>The installation, made on first use and shared by every test of the run.</summary>
    public static Task<ClaudeCodeInstallation> GetAsync() => Shared.Value;

    private static async Task<ClaudeCodeInstallation> InstallAsync()
    {
        var spec = SpecDirectory();
        var version = PinnedVersion(spec);
        var directory = Path.Combine(CacheRoot(), "vdm-tests", $"claude-code-{version}");
        var executable = Path.Combine(directory, "node_modules", ".bin", OperatingSystem.IsWindows() ? "claude.cmd" : "claude");
        if (!File.Exists(executable))
        {
            var unavailable = await NpmCiAsync(spec, directory);
            if (unavailable is not null)
            {
                return new ClaudeCodeInstallation(version, null, unavailable);
            }
        }

        // Installed but not runnable is a real failure, not a reason to skip.
        var (exitCode, stdout, stderr) = await RunAsync(executable, ["--version"], Path.GetDirectoryName(executable)!, TimeSpan.FromSeconds(60));
        if (exitCode != 0 || !stdout.StartsWith(version, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{executable} --version exited with {exitCode}, printing '{stdout.Trim()}' {stderr.Trim()}; expected {version}. " +
                $"Delete {directory} to reinstall it.");
        }

        return new ClaudeCodeInstallation(version, executable, null);
    }

    /// <summary>
    /// <c>npm ci</c> in a sibling directory, renamed into place when complete, so a failed or concurrent install never
    /// leaves a half-installed cache behind. Returns why it failed, or null.
    /// </summary>
    private static async Task<string?> NpmCiAsync(string spec, string directory)
    {
        var parent = Path.GetDirectoryName(directory)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $"{Path.GetFileName(directory)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            File.Copy(Path.Combine(spec, "package.json"), Path.Combine(staging, "package.json"));
            File.Copy(Path.Combine(spec, "package-lock.json"), Path.Combine(staging, "package-lock.json"));
            var started = Stopwatch.StartNew();
            (int ExitCode, string Stdout, string Stderr) npm;
            try
            {
                npm = await RunAsync(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], staging, InstallTimeout, inheritEnvironment: true);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return $"npm cannot be started ({e.Message}); install Node.js 20 or later with npm";
            }
            catch (TimeoutException)
            {
                return $"npm ci of {Package} did not finish within {InstallTimeout.TotalMinutes} minutes";
            }

            if (npm.ExitCode != 0)
            {
                return $"npm ci of {Package} failed with exit code {npm.ExitCode} after {started.Elapsed.TotalSeconds:F0} s:\n{npm.Stderr}{npm.Stdout}";
            }

            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (Directory.Exists(directory))
            {
                // Another test run installed the same version first; theirs is as good as ours.
            }

            return null;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// Runs a program to completion with its stdin closed and its output captured; kills its whole process tree when it
    /// outlives <paramref name="timeout"/>. Only PATH and HOME reach it unless <paramref name="environment"/> adds more,
    /// or <paramref name="inheritEnvironment"/> passes the test run's own environment (npm needs its proxy settings).
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string executable,
        IEnumerable<string> args,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        bool inheritEnvironment = false)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (!inheritEnvironment)
        {
            info.Environment.Clear();
            info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
            info.Environment["HOME"] = Environment.GetEnvironmentVariable("HOME") ?? workingDirectory;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        try
        {
            // Returns once the process has exited and both output streams are read to their end.
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);

            // Bounded too: a grandchild that escaped the kill could hold the output pipes open, and CI must not hang on it.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(static _ => { }, TaskScheduler.Default);
            throw new TimeoutException(
                $"{Path.GetFileName(executable)} {string.Join(' ', info.ArgumentList)} did not exit within {timeout.TotalSeconds} s and was killed.\n" +
                $"stdout:\n{Read(stdout)}\nstderr:\n{Read(stderr)}");
        }

        return (process.ExitCode, Read(stdout), Read(stderr));
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is not null)
        {
            lock (buffer)
            {
                buffer.Append(line).Append('\n');
            }
        }
    }

    private static string Read(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }

    private static string PinnedVersion(string spec)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(spec, "package.json")));
        return manifest.RootElement.GetProperty("dependencies").GetProperty(Package).GetString()
            ?? throw new InvalidDataException($"{spec}/package.json pins no version of {Package}");
    }

    private static string CacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        return !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
    }

    private static string SpecDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "vdm.csproj")))
            {
                return Path.Combine(directory.FullName, "tests", "Vdm.EndToEnd", "claude-code");
            }
        }

        throw new DirectoryNotFoundException("cannot find the repository root (vdm.csproj) above " + AppContext.BaseDirectory);
    }
}
