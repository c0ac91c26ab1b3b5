using System.Globalization;
using System.Text.Json;
using Vdm.Gateway;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary><c>vdm health server</c> against a real gateway, a server that is not vdm, and nothing at all.</summary>
public class HealthCommandTests
{
    [Test]
    public async Task Server_RunningGateway_PrintsHealthyWithVersionAndLatency_ExitsZero()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var cli = new CliRun();
        var url = gateway.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var exitCode = await cli.RunAsync(["health", "server", "--url", url]);
        var output = cli.Output.ToString();

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(output).StartsWith($"healthy  {url}/health  vdm {VdmVersion.Current}  ");
        await Assert.That(output).EndsWith(" ms\n");
    }

    [Test]
    public async Task Server_Json_IsOneObjectWithStatusVersionAndLatency()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var cli = new CliRun();
        var url = gateway.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var exitCode = await cli.RunAsync(["health", "server", "--url", url, "--json"]);
        using var json = JsonDocument.Parse(cli.Output.ToString());
        var root = json.RootElement;

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(root.GetProperty("healthy").GetBoolean()).IsTrue();
        await Assert.That(root.GetProperty("status").GetString()).IsEqualTo("healthy");
        await Assert.That(root.GetProperty("http_status").GetInt32()).IsEqualTo(200);
        await Assert.That(root.GetProperty("version").GetString()).IsEqualTo(VdmVersion.Current);
        await Assert.That(root.GetProperty("url").GetString()).IsEqualTo($"{url}/health");
        await Assert.That(root.GetProperty("latency_ms").GetDouble()).IsGreaterThanOrEqualTo(0);
        await Assert.That(root.GetProperty("error").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task Server_PortFromTheConfiguration_IsWhereItLooks()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        using var cli = new CliRun(("PORT", gateway.Client.BaseAddress!.Port.ToString(CultureInfo.InvariantCulture)), ("HOST", "0.0.0.0"));

        var exitCode = await cli.RunAsync(["health", "server"]);

        // Listening on every address means reachable on loopback.
        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).StartsWith($"healthy  http://127.0.0.1:{gateway.Client.BaseAddress.Port}/health");
    }

    [Test]
    public async Task Server_NothingListening_PrintsUnreachable_ExitsOne()
    {
        using var cli = new CliRun();
        var port = ClosedPort.Find().ToString(CultureInfo.InvariantCulture);

        var exitCode = await cli.RunAsync(["health", "server", "--host", "127.0.0.1", "--port", port, "--json"]);
        using var json = JsonDocument.Parse(cli.Output.ToString());

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(json.RootElement.GetProperty("status").GetString()).IsEqualTo("unreachable");
        await Assert.That(json.RootElement.GetProperty("http_status").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(json.RootElement.GetProperty("error").GetString()).IsEqualTo("Connection refused");
    }

    [Test]
    public async Task Server_AnswerThatIsNotHealthy_ExitsOneSayingWhy()
    {
        await using var other = await FakeUpstream.StartAsync();
        other.Handler = UpstreamFaults.Html(503, "<html>maintenance</html>");
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["health", "server", "--url", other.BaseUrl()]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(cli.Output.ToString()).StartsWith($"unhealthy (HTTP 503, status unknown)  {other.BaseUrl()}/health  ");
    }

    [Test]
    [Arguments("--url", "http://x:1", "--port", "2")]
    [Arguments("--url", "ftp://x")]
    [Arguments("--port", "http")]
    public async Task Server_BadTarget_IsAUsageErrorExitingTwo(params string[] options)
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["health", "server", .. options]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).StartsWith("vdm: ");
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
    }
}
