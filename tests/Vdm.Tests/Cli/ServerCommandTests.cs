using System.Net;
using System.Text.RegularExpressions;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

public partial class ServerCommandTests
{
    [Test]
    public async Task Start_ServesHealthUntilCancelledThenExitsZero()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-run"));
        using var stop = new CancellationTokenSource();

        var run = cli.RunAsync(["server", "start", "--port", "0"], stop.Token);
        var banner = await cli.Error.WaitForLineAsync("listening on").WaitAsync(TimeSpan.FromSeconds(15));
        var url = new Uri(ListeningUrl().Match(banner).Value);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url, "/health"));
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(15));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Error.ToString()).Contains($"ANTHROPIC_BASE_URL={url.GetLeftPart(UriPartial.Authority)} claude");
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
    }

    [Test]
    public async Task Start_FlagsOverrideTheEnvironment()
    {
        using var cli = new CliRun(("PORT", "not-a-port"));

        var exitCode = await cli.RunAsync(["server", "start", "--port", "70000"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("PORT=70000 (flag)");
        await Assert.That(cli.Error.ToString()).DoesNotContain("not-a-port");
    }

    [Test]
    public async Task Start_NoProviders_SaysHowToAddOne()
    {
        using var cli = new CliRun();
        using var stop = new CancellationTokenSource();

        var run = cli.RunAsync(["server", "start", "--port", "0"], stop.Token);
        await cli.Error.WaitForLineAsync("Claude Code:").WaitAsync(TimeSpan.FromSeconds(15));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        await Assert.That(cli.Error.ToString()).Contains("no providers yet: add one with a key, such as OPENAI_API_KEY=");
    }

    [Test]
    public async Task Start_InvalidHost_ExitsTwo()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["server", "start", "--host", "example.com"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("HOST=example.com (flag): must be an IP address");
    }

    [GeneratedRegex(@"http://\S+")]
    private static partial Regex ListeningUrl();
}
