using System.Net;
using System.Net.Sockets;

namespace Vdm.EndToEnd;

/// <summary>
/// <c>claude.vdm</c>, a link to the published binary, with a stand-in claude (a bash script first on PATH): the name
/// it was called by makes it <c>vdm wrap claude</c>, it starts a gateway for claude, and passes signals on.
/// </summary>
public class WrapTests
{
    [Test]
    public async Task ClaudeVdmLink_EveryArgumentToClaude_GatewayServesIt_ExitCodeReturned()
    {
        using var claude = new Claude("""
            printf '%s\0' "$@" > "$here/args"
            url="${ANTHROPIC_BASE_URL#http://}"
            exec 3<>"/dev/tcp/${url%:*}/${url##*:}"
            printf 'GET /health HTTP/1.0\r\nHost: vdm\r\n\r\n' >&3
            cat <&3 > "$here/health"
            exit 5
            """);

        await using var wrap = VdmProcess.Start(["--help", "--port", "1", "--", "-p", "hi there"], claude.Environment(), executable: claude.Link);
        var exitCode = await wrap.WaitForExitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(exitCode).IsEqualTo(5);
        await Assert.That(File.ReadAllText(claude.PathOf("args"))).IsEqualTo(string.Concat(new[] { "--help", "--port", "1", "--", "-p", "hi there" }.Select(word => word + "\0")));
        await Assert.That(File.ReadAllText(claude.PathOf("health"))).StartsWith("HTTP/1.1 200");
        await Assert.That(wrap.Stdout).IsEqualTo("");
        await Assert.That(wrap.Stderr).Contains("vdm: claude -> http://127.0.0.1:");
        await Assert.That(wrap.Stderr).DoesNotContain("providers:");
    }

    [Test]
    [Arguments(Signals.Terminate, "TERM", 42)]
    [Arguments(Signals.Interrupt, "INT", 43)]
    public async Task SignalToWrap_ReachesClaude_WrapExitsWithClaudesCode_GatewayStopped(int signal, string name, int expected)
    {
        // Not a terminal's foreground (stdin is a pipe here), so SIGINT is forwarded like SIGTERM.
        using var claude = new Claude("""
            printf '%s' "$ANTHROPIC_BASE_URL" > "$here/url"
            trap 'echo TERM > "$here/signal"; kill $sleeper; exit 42' TERM
            trap 'echo INT > "$here/signal"; kill $sleeper; exit 43' INT
            sleep 60 > /dev/null 2>&1 &
            sleeper=$!
            touch "$here/ready"
            wait $sleeper
            exit 0
            """);

        await using var wrap = VdmProcess.Start([], claude.Environment(), executable: claude.Link);
        await claude.WaitForFileAsync("ready", TimeSpan.FromSeconds(20));
        wrap.Signal(signal);
        var exitCode = await wrap.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var url = new Uri(File.ReadAllText(claude.PathOf("url")));

        await Assert.That(exitCode).IsEqualTo(expected);
        await Assert.That(File.ReadAllText(claude.PathOf("signal")).Trim()).IsEqualTo(name);
        await Assert.That(IsListening(url.Port)).IsFalse();
    }

    [Test]
    [Arguments(Signals.Interrupt)]
    [Arguments(Signals.Quit)]
    public async Task TerminalSignalToWrapsGroup_GatewayServesClaudeUntilItExits(int signal)
    {
        // Ctrl+C and Ctrl+\ at a terminal go to every process of the foreground group. Here wrap leads a group of its own
        // (setsid), which claude joins, and the test signals that group as a terminal would: claude (which traps the
        // signal, as Claude Code does) still reaches the gateway afterwards.
        const string Setsid = "/usr/bin/setsid";
        if (!File.Exists(Setsid))
        {
            Skip.Test($"{Setsid} is not installed");
        }

        using var claude = new Claude("""
            printf '%s' "$ANTHROPIC_BASE_URL" > "$here/url"
            trap 'echo signal >> "$here/signals"' INT QUIT
            touch "$here/ready"
            while [ ! -s "$here/signals" ]; do sleep 0.05; done
            sleep 0.5
            url="${ANTHROPIC_BASE_URL#http://}"
            exec 3<>"/dev/tcp/${url%:*}/${url##*:}"
            printf 'GET /health HTTP/1.0\r\nHost: vdm\r\n\r\n' >&3
            cat <&3 > "$here/health"
            exit 7
            """);

        await using var wrap = VdmProcess.Start([claude.Link], claude.Environment(), executable: Setsid);
        await claude.WaitForFileAsync("ready", TimeSpan.FromSeconds(20));
        wrap.SignalGroup(signal);
        var exitCode = await wrap.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var url = new Uri(File.ReadAllText(claude.PathOf("url")));
        var health = File.Exists(claude.PathOf("health")) ? File.ReadAllText(claude.PathOf("health")) : "no answer";

        await Assert.That(exitCode).IsEqualTo(7);
        await Assert.That(health).StartsWith("HTTP/1.1 200");
        await Assert.That(IsListening(url.Port)).IsFalse();
    }

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A directory with a <c>claude</c> script (its body after <c>here=</c>, the directory) and a <c>claude.vdm</c> link to vdm.</summary>
    private sealed class Claude : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-e2e-claude-");

        public Claude(string body)
        {
            var script = System.IO.Path.Combine(_directory.FullName, "claude");
            File.WriteAllText(script, "#!/bin/bash\nhere=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            File.CreateSymbolicLink(Link, VdmBinary.Path);
        }

        public string Link => System.IO.Path.Combine(_directory.FullName, "claude.vdm");

        public string PathOf(string name) => System.IO.Path.Combine(_directory.FullName, name);

        /// <summary>PATH finds this claude first; port 0, so tests never collide; the gateway's log stays in here.</summary>
        public Dictionary<string, string> Environment() => new()
        {
            ["PATH"] = _directory.FullName + ":/usr/bin:/bin",
            ["PORT"] = "0",
            ["XDG_STATE_HOME"] = _directory.FullName,
            ["OPENAI_API_KEY"] = "sk-e2e-wrap",
        };

        /// <summary>Polls for a file the script writes when it is ready, within a bounded wait.</summary>
        public async Task WaitForFileAsync(string name, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!File.Exists(PathOf(name)))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{name} did not appear within {timeout.TotalSeconds} s");
                }

                await Task.Delay(20);
            }
        }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
