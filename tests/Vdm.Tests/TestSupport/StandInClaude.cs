using System.Globalization;

namespace Vdm.Tests.TestSupport;

/// <summary>
/// A <c>claude</c> for <c>vdm wrap</c> to run: a bash script in its own directory (put first on PATH) that records its
/// arguments and environment (NUL-separated, so values over several lines survive), optionally fetches
/// <c>$ANTHROPIC_BASE_URL/health</c> to prove the gateway serves it, runs any extra bash, and exits with a chosen code.
/// </summary>
internal sealed class StandInClaude : IDisposable
{
    private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("vdm-claude-");

    public StandInClaude(int exitCode = 0, bool fetchHealth = false, string extra = "")
    {
        var health = fetchHealth
            ? """
              url="${ANTHROPIC_BASE_URL#http://}"
              exec 3<>"/dev/tcp/${url%:*}/${url##*:}"
              printf 'GET /health HTTP/1.0\r\nHost: vdm\r\n\r\n' >&3
              cat <&3 > "$here/health"
              exec 3<&-
              """
            : "";
        var script = $"""
            #!/bin/bash
            here="$(cd "$(dirname "$0")" && pwd)"
            printf '%s\0' "$@" > "$here/args"
            env -0 > "$here/env"
            {health}
            {extra}
            exit {exitCode.ToString(CultureInfo.InvariantCulture)}

            """;
        var path = Path.Combine(Directory, "claude");
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Directory => _directory.FullName;

    /// <summary>A PATH that finds this claude first, then the system's tools (bash, env).</summary>
    public string SearchPath => Directory + Path.PathSeparator + "/usr/bin" + Path.PathSeparator + "/bin";

    public bool Ran => File.Exists(Path.Combine(Directory, "env"));

    public IReadOnlyList<string> Arguments => Read("args");

    public IReadOnlyDictionary<string, string> Environment => Read("env")
        .Select(entry => entry.Split('=', 2))
        .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "", StringComparer.Ordinal);

    /// <summary>The raw HTTP answer to <c>GET /health</c>, when <c>fetchHealth</c> was asked for.</summary>
    public string Health => File.ReadAllText(Path.Combine(Directory, "health"));

    /// <summary>A file the extra bash wrote into the script's directory (its <c>$here</c>).</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose() => _directory.Delete(recursive: true);

    private string[] Read(string name)
    {
        // printf with no arguments still writes one empty entry; a trailing empty argument is lost with it.
        var text = File.ReadAllText(Path.Combine(Directory, name)).TrimEnd('\0');
        return text.Length == 0 ? [] : text.Split('\0');
    }
}
