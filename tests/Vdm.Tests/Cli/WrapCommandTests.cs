using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Vdm.Cli;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary>
/// <c>vdm wrap claude</c> in process, with a stand-in claude on PATH: a started gateway is the real <c>vdm server
/// start</c>, run from the vdm launcher built beside the tests; a reused one is a <see cref="RunningGateway"/>.
/// </summary>
public class WrapCommandTests
{
    [Test]
    public async Task Run_NothingListening_StartsGatewayForClaude_StopsItAfterwards_PortFree()
    {
        using var claude = new StandInClaude(exitCode: 0, fetchHealth: true);
        using var cli = Cli(claude, ("OPENAI_API_KEY", "sk-wrap-test"));

        var exitCode = await cli.RunAsync(["wrap", "claude", "--port", "0"]);
        var url = new Uri(claude.Environment["ANTHROPIC_BASE_URL"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(url.Host).IsEqualTo("127.0.0.1");
        await Assert.That(url.Port).IsNotEqualTo(0);
        await Assert.That(claude.Health).StartsWith("HTTP/1.1 200");
        await Assert.That(claude.Health).Contains("\"status\":\"healthy\"");
        await Assert.That(IsListening(url.Port)).IsFalse();

        // The gateway's lines went to the log file named on stderr (under the home, so shown with ~), not to the terminal.
        var log = Path.Combine(cli.WorkingDirectory, "state", "vdm", "wrap-0.log");
        await Assert.That(cli.Error.ToString()).Contains($"vdm: claude -> {url.GetLeftPart(UriPartial.Authority)} (a vdm started for this session; its log: ~/state/vdm/wrap-0.log)");
        await Assert.That(cli.Error.ToString()).DoesNotContain("providers:");
        await Assert.That(File.ReadAllText(log)).Contains("listening on " + url.GetLeftPart(UriPartial.Authority));
        await Assert.That(File.ReadAllText(log)).Contains("vdm stopped");
    }

    [Test]
    public async Task Run_JsonLogFormat_StartsGatewayForClaude()
    {
        // The started gateway logs text all the same: its "listening on URL" line is how wrap knows it is ready.
        using var claude = new StandInClaude(exitCode: 0, fetchHealth: true);
        using var cli = Cli(claude, ("OPENAI_API_KEY", "sk-wrap-test"), ("LOG_FORMAT", "json"));

        var exitCode = await cli.RunAsync(["wrap", "claude", "--port", "0"]);

        await Assert.That(cli.Error.ToString()).DoesNotContain("could not start a gateway");
        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(claude.Health).StartsWith("HTTP/1.1 200");
    }

    [Test]
    public async Task Run_RunningGateway_IsReusedAndLeftRunning()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude(fetchHealth: true);
        using var cli = Cli(claude, ("PORT", Port(gateway)));

        var exitCode = await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(claude.Environment["ANTHROPIC_BASE_URL"]).IsEqualTo($"http://127.0.0.1:{Port(gateway)}");
        await Assert.That(cli.Error.ToString()).Contains($"(vdm {Vdm.Gateway.VdmVersion.Current} already running there)");
        using var health = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        await Assert.That(health.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Run_NoKeyOfTheUser_ClaudeGetsBaseUrlAndPlaceholderToken()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", Port(gateway)), ("ANTHROPIC_BASE_URL", "http://elsewhere.example:9999"));

        await cli.RunAsync(["wrap", "claude"]);
        var environment = claude.Environment;

        await Assert.That(environment["ANTHROPIC_BASE_URL"]).IsEqualTo($"http://127.0.0.1:{Port(gateway)}");
        await Assert.That(environment["ANTHROPIC_AUTH_TOKEN"]).IsEqualTo(ClaudeEnvironment.PlaceholderToken);
        await Assert.That(environment.ContainsKey("ANTHROPIC_API_KEY")).IsFalse();
        await Assert.That(environment.ContainsKey("ANTHROPIC_CUSTOM_HEADERS")).IsFalse();
    }

    [Test]
    public async Task Run_UsersOwnApiKey_IsKept_NoPlaceholder()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", Port(gateway)), ("ANTHROPIC_API_KEY", "sk-ant-users-own"));

        await cli.RunAsync(["wrap", "claude"]);
        var environment = claude.Environment;

        await Assert.That(environment["ANTHROPIC_API_KEY"]).IsEqualTo("sk-ant-users-own");
        await Assert.That(environment.ContainsKey("ANTHROPIC_AUTH_TOKEN")).IsFalse();
    }

    [Test]
    public async Task Run_ProxyApiKey_GoesInCustomHeadersAfterTheUsersOwn()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("PROXY_API_KEY", "proxy-secret")));
        using var claude = new StandInClaude(fetchHealth: true);
        using var cli = Cli(claude,
            ("PORT", Port(gateway)), ("PROXY_API_KEY", "proxy-secret"), ("ANTHROPIC_CUSTOM_HEADERS", "x-team: core\nx-trace: on\n"));

        await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(claude.Environment["ANTHROPIC_CUSTOM_HEADERS"]).IsEqualTo("x-team: core\nx-trace: on\nx-vdm-proxy-key: proxy-secret");
        await Assert.That(cli.Output.ToString() + cli.Error).DoesNotContain("proxy-secret");
    }

    [Test]
    public async Task Run_ArgumentsAfterDoubleDash_ReachClaudeVerbatim()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", Port(gateway)));
        cli.WriteFile("prompt.txt", "--injected\n");
        string[] arguments = ["--port", "1", "--dry-run", "--help", "-p", "@prompt.txt", "--", "two words", "", "--env-file", "x"];

        var exitCode = await cli.RunAsync(["wrap", "claude", "--", .. arguments, "last"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(claude.Arguments).IsEquivalentTo([.. arguments, "last"]);
    }

    [Test]
    public async Task ClaudeLink_EveryArgumentIsClaudes_HelpIncluded()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", Port(gateway)));

        var exitCode = await cli.RunAsync(WrapCommand.ClaudeLinkArguments(["--help", "--port", "9", "--"]));

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(claude.Arguments).IsEquivalentTo(["--help", "--port", "9", "--"]);
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
    }

    [Test]
    [Arguments("claude.vdm", true)]
    [Arguments("/home/me/.local/bin/claude.vdm", true)]
    [Arguments("./claude.vdm", true)]
    [Arguments("vdm", false)]
    [Arguments("/usr/local/bin/vdm", false)]
    [Arguments("claude", false)]
    [Arguments("/opt/vdm/vdm.dll", false)]
    public async Task IsClaudeLink_ByTheInvokedName(string argumentZero, bool expected)
    {
        await Assert.That(WrapCommand.IsClaudeLink(argumentZero)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0)]
    [Arguments(3)]
    [Arguments(42)]
    public async Task Run_ExitsWithClaudesExitCode(int code)
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude(exitCode: code);
        using var cli = Cli(claude, ("PORT", Port(gateway)));

        await Assert.That(await cli.RunAsync(["wrap", "claude"])).IsEqualTo(code);
    }

    [Test]
    public async Task Run_ClaudeKilledBySignal_Exits128PlusTheSignal()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude(extra: "kill -TERM $$");
        using var cli = Cli(claude, ("PORT", Port(gateway)));

        await Assert.That(await cli.RunAsync(["wrap", "claude"])).IsEqualTo(128 + 15);
    }

    [Test]
    public async Task Run_ClaudeNotOnPath_Exits127_StartsNothing()
    {
        using var claude = new StandInClaude();
        using var cli = Cli(claude);
        cli.Environment["PATH"] = "/usr/bin:/bin";
        var port = ClosedPort.Find();

        var exitCode = await cli.RunAsync(["wrap", "claude", "--port", port.ToString(CultureInfo.InvariantCulture)]);

        await Assert.That(exitCode).IsEqualTo(127);
        await Assert.That(cli.Error.ToString()).Contains("vdm: claude was not found on PATH");
        await Assert.That(IsListening(port)).IsFalse();
    }

    [Test]
    public async Task Run_PortAnsweredBySomethingElse_ExitsOne_ClaudeNotRun()
    {
        using var other = NotVdm.Start();
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", other.Port.ToString(CultureInfo.InvariantCulture)));

        var exitCode = await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(cli.Error.ToString()).Contains("answers, but not as a healthy vdm (unhealthy (HTTP 404");
        await Assert.That(claude.Ran).IsFalse();
    }

    [Test]
    public async Task Run_GatewayCannotStart_ExitsOneWithItsReason_ClaudeNotRun()
    {
        // Something holds the port but never answers HTTP (it accepts and hangs up): there is no vdm to reuse, and
        // none can start there.
        using var other = NotVdm.Start(answer: false);
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", other.Port.ToString(CultureInfo.InvariantCulture)));

        var exitCode = await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(cli.Error.ToString()).Contains($"vdm: could not start a gateway on 127.0.0.1:{other.Port}: the gateway exited with code 1 before it listened:");
        await Assert.That(cli.Error.ToString()).Contains("cannot listen on");
        await Assert.That(claude.Ran).IsFalse();
    }

    [Test]
    public async Task Run_InvalidConfiguration_ExitsTwo_ClaudeNotRun()
    {
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", "eighty"));

        var exitCode = await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("PORT=eighty (env): must be a whole number");
        await Assert.That(claude.Ran).IsFalse();
    }

    [Test]
    public async Task Run_ExportedBaseUrlPointingAtTheGateway_IsNotGivenToIt()
    {
        // The shell still exports ANTHROPIC_BASE_URL from an earlier session on this very port: the gateway must use
        // Anthropic's own URL, and say nothing about it.
        var port = ClosedPort.Find().ToString(CultureInfo.InvariantCulture);
        using var claude = new StandInClaude(fetchHealth: true);
        using var cli = Cli(claude, ("PORT", port), ("ANTHROPIC_BASE_URL", $"http://localhost:{port}"), ("ANTHROPIC_API_KEY", "sk-ant-own"));

        var exitCode = await cli.RunAsync(["wrap", "claude"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(claude.Health).Contains("\"base_url\":\"https://api.anthropic.com\"");
        await Assert.That(cli.Error.ToString()).DoesNotContain("points at vdm itself");
        await Assert.That(claude.Environment["ANTHROPIC_BASE_URL"]).IsEqualTo($"http://127.0.0.1:{port}");
    }

    [Test]
    public async Task DryRun_NothingListening_PrintsThePlan_StartsNothing()
    {
        var port = ClosedPort.Find();
        using var claude = new StandInClaude();
        using var cli = Cli(claude,
            ("PORT", port.ToString(CultureInfo.InvariantCulture)), ("PROXY_API_KEY", "proxy-secret"), ("ANTHROPIC_BASE_URL", $"http://localhost:{port}"));

        var exitCode = await cli.RunAsync(["wrap", "claude", "--dry-run", "--", "--model", "opus 4"]);
        var output = cli.Output.ToString();

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(output).StartsWith("vdm wrap claude (dry run: nothing is started)\n");
        await Assert.That(output).Contains($" server start --host 127.0.0.1 --port {port}\n");
        await Assert.That(output).Contains($"  gateway log:  ~/state/vdm/wrap-{port}.log\n");
        await Assert.That(output).Contains($"  left out:     ANTHROPIC_BASE_URL=http://localhost:{port} (points at the gateway itself)\n");
        await Assert.That(output).Contains($"  url:          http://127.0.0.1:{port}\n");
        await Assert.That(output).Contains($"  command:      {Path.Combine(claude.Directory, "claude")} --model 'opus 4'\n");
        await Assert.That(output).Contains($"  environment:  ANTHROPIC_BASE_URL=http://127.0.0.1:{port}  (replaces your http://localhost:{port})\n");
        await Assert.That(output).Contains($"ANTHROPIC_AUTH_TOKEN={ClaudeEnvironment.PlaceholderToken}  (placeholder");
        await Assert.That(output).Contains($"ANTHROPIC_CUSTOM_HEADERS=x-vdm-proxy-key: {KeyFingerprint.Of("proxy-secret")}  (PROXY_API_KEY)\n");
        await Assert.That(output).DoesNotContain("proxy-secret");
        await Assert.That(claude.Ran).IsFalse();
        await Assert.That(IsListening(port)).IsFalse();
    }

    [Test]
    public async Task DryRun_RunningGateway_SaysItWouldBeReused_AndKeepsTheUsersKey()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", Port(gateway)), ("ANTHROPIC_API_KEY", "sk-ant-own"));

        var exitCode = await cli.RunAsync(["wrap", "claude", "--dry-run"]);
        var output = cli.Output.ToString();

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(output).Contains($"  gateway:      reuse the vdm {Vdm.Gateway.VdmVersion.Current} answering http://127.0.0.1:{Port(gateway)}/health\n");
        await Assert.That(output).Contains("  kept:         ANTHROPIC_API_KEY (yours, unchanged)\n");
        await Assert.That(output).DoesNotContain("ANTHROPIC_AUTH_TOKEN");
        await Assert.That(output).DoesNotContain("sk-ant-own");
    }

    [Test]
    public async Task DryRun_ClaudeNotOnPath_SaysSo_ExitsZero()
    {
        using var claude = new StandInClaude();
        using var cli = Cli(claude, ("PORT", ClosedPort.Find().ToString(CultureInfo.InvariantCulture)));
        cli.Environment["PATH"] = "/usr/bin:/bin";

        var exitCode = await cli.RunAsync(["wrap", "claude", "--dry-run"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("  command:      claude: NOT FOUND on PATH (the run would exit 127)\n");
    }

    /// <summary>A CLI run whose PATH finds the stand-in first, with its home and the gateway's log inside its directory.</summary>
    private static CliRun Cli(StandInClaude claude, params (string Name, string Value)[] environment)
    {
        var cli = new CliRun(environment);
        cli.Environment["PATH"] = claude.SearchPath;
        cli.Environment["HOME"] = cli.WorkingDirectory;
        cli.Environment["XDG_STATE_HOME"] = Path.Combine(cli.WorkingDirectory, "state");
        return cli;
    }

    private static string Port(RunningGateway gateway) => gateway.Client.BaseAddress!.Port.ToString(CultureInfo.InvariantCulture);

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

    /// <summary>A loopback server that is not vdm: it answers every request 404, or hangs up without a word.</summary>
    private sealed class NotVdm : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        private NotVdm(bool answer)
        {
            _listener.Start();
            _ = ServeAsync(answer);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static NotVdm Start(bool answer = true) => new(answer);

        public void Dispose() => _listener.Dispose();

        private async Task ServeAsync(bool answer)
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    if (answer)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        _ = await stream.ReadAsync(buffer);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    }
                }
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException or IOException)
            {
                // Stopped.
            }
        }
    }
}
