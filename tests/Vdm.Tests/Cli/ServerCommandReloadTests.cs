using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.Conversion.Streaming;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary><c>vdm server start --reload</c> in process, against two fake providers, with a real <c>./.env</c> rewritten under it.</summary>
public partial class ServerCommandReloadTests
{
    private const string Answer = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static string Env(FakeUpstream alpha, FakeUpstream beta, string fast, string betaKey, string extra = "") =>
        $"ALPHA_API_KEY=sk-alpha-secret\nALPHA_BASE_URL={alpha.BaseUrl("/v1")}\n" +
        $"BETA_API_KEY={betaKey}\nBETA_BASE_URL={beta.BaseUrl("/v1")}\n" +
        $"VDM_DEFAULT_PROVIDER=alpha\nVDM_ALIAS_FAST={fast}\n{extra}";

    private static StringContent Message(bool stream) => new(
        $$"""{"model":"fast","max_tokens":16,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""",
        Encoding.UTF8, "application/json");

    private static async Task<(Task<int> Run, HttpClient Http)> StartAsync(CliRun cli, CancellationToken stop, params string[] extra)
    {
        var run = cli.RunAsync(["server", "start", "--port", "0", .. extra], stop);
        var banner = await cli.Error.WaitForLineAsync("listening on").WaitAsync(Bound);
        await cli.Error.WaitForLineAsync("Claude Code:").WaitAsync(Bound);
        return (run, new HttpClient { BaseAddress = new Uri(ListeningUrl().Match(banner).Value) });
    }

    [Test]
    public async Task Reload_AliasMoved_NextRequestGoesToTheNewProviderWhileTheStreamInFlightEndsIntact()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        await using var beta = await FakeUpstream.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        alpha.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await release.Task;
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        };
        beta.RespondJson(Answer);
        using var cli = new CliRun();
        cli.WriteFile(".env", Env(alpha, beta, "alpha:model-a", "sk-beta-secret-1"));
        using var stop = new CancellationTokenSource();
        var (run, http) = await StartAsync(cli, stop.Token, "--reload");
        using var _ = http;

        // A stream on alpha, open and halfway through, when the configuration changes.
        using var streamRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative)) { Content = Message(stream: true) };
        using var streaming = await http.SendAsync(streamRequest, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());
        var received = new StringBuilder();
        while (!received.ToString().Contains("Hel", StringComparison.Ordinal) && await reader.ReadLineAsync().WaitAsync(Bound) is { } line)
        {
            received.Append(line).Append('\n');
        }

        cli.WriteFile(".env", Env(alpha, beta, "beta:model-b", "sk-beta-secret-2"));
        var reloaded = await cli.Logs.WaitForLineAsync("configuration reloaded").WaitAsync(Bound);
        using var next = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), Message(stream: false));
        release.SetResult();
        received.Append(await reader.ReadToEndAsync().WaitAsync(Bound));
        var stream = AnthropicStreamAccumulator.Replay(received.ToString());
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(Bound);

        // The user's ~/.config/vdm does not exist in the test's home, so only ./.env is watched.
        await Assert.That(cli.Error.ToString()).Contains("  reload: applying changes to ./.env" + Environment.NewLine);
        await Assert.That(reloaded).Contains("configuration reloaded from ./.env: BETA_API_KEY, VDM_ALIAS_FAST changed; providers: alpha, beta");
        await Assert.That(next.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(beta.Received.Single().BodyText).Contains("\"model\":\"model-b\"");
        await Assert.That(beta.Received.Single().Header("authorization")).IsEqualTo("Bearer sk-beta-secret-2");
        await Assert.That(alpha.Received.Single().BodyText).Contains("\"model\":\"model-a\"");
        await Assert.That(stream.Blocks).IsEquivalentTo(["text: Hello"]);
        await Assert.That(stream.StopReason).IsEqualTo("end_turn");
        await Assert.That(stream.Error).IsNull();
        await Assert.That(cli.Logs.ToString() + cli.Error).DoesNotContain("secret");
        await Assert.That(exitCode).IsEqualTo(0);
    }

    [Test]
    public async Task Reload_BrokenEnv_IsReportedAndTheRunningConfigurationServes()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        await using var beta = await FakeUpstream.StartAsync();
        alpha.RespondJson(Answer);
        using var cli = new CliRun();
        cli.WriteFile(".env", Env(alpha, beta, "alpha:model-a", "sk-beta-secret-1"));
        using var stop = new CancellationTokenSource();
        var (run, http) = await StartAsync(cli, stop.Token, "--reload");
        using var _ = http;

        // An alias that names a provider but no model: the whole file is refused, its valid changes too.
        cli.WriteFile(".env", Env(alpha, beta, "beta:", "sk-beta-secret-2", "MAX_RETRIES=5\n"));
        var refused = await cli.Logs.WaitForLineAsync("not applied").WaitAsync(Bound);
        using var response = await http.PostAsync(new Uri("/v1/messages", UriKind.Relative), Message(stream: false));
        await stop.CancelAsync();
        await run.WaitAsync(Bound);

        await Assert.That(refused).StartsWith("warn: ");
        await Assert.That(refused).Contains("configuration in ./.env not applied, the running one is kept: VDM_ALIAS_FAST=beta:: 'beta:' names a provider but no model");
        await Assert.That(cli.Logs.ToString()).DoesNotContain("configuration reloaded");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(alpha.Received.Single().BodyText).Contains("\"model\":\"model-a\"");
        await Assert.That(beta.Received).IsEmpty();
        await Assert.That(cli.Logs.ToString()).DoesNotContain("secret");
    }

    [Test]
    public async Task Reload_RestartOnlyChange_IsReportedAndTheFlagStillWins()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        await using var beta = await FakeUpstream.StartAsync();
        using var cli = new CliRun();
        cli.WriteFile(".env", Env(alpha, beta, "alpha:model-a", "k"));
        using var stop = new CancellationTokenSource();
        var (run, http) = await StartAsync(cli, stop.Token, "--reload");
        using var _ = http;

        cli.WriteFile(".env", Env(alpha, beta, "alpha:model-a", "k", "SHUTDOWN_TIMEOUT_SECONDS=30\nPORT=1\n"));
        var line = await cli.Logs.WaitForLineAsync("restart needed").WaitAsync(Bound);
        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        await stop.CancelAsync();
        await run.WaitAsync(Bound);

        await Assert.That(line).Contains(
            "configuration in ./.env changed: restart needed for SHUTDOWN_TIMEOUT_SECONDS (running values kept); nothing else changed; " +
            "kept where another layer wins: PORT (flag wins)");
        await Assert.That(health.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Start_WithoutReload_WatchesNothing()
    {
        await using var alpha = await FakeUpstream.StartAsync();
        await using var beta = await FakeUpstream.StartAsync();
        using var cli = new CliRun();
        cli.WriteFile(".env", Env(alpha, beta, "alpha:model-a", "k"));
        using var stop = new CancellationTokenSource();

        var (run, http) = await StartAsync(cli, stop.Token);
        http.Dispose();
        await stop.CancelAsync();
        await run.WaitAsync(Bound);

        await Assert.That(cli.Error.ToString()).DoesNotContain("reload");
    }

    [GeneratedRegex(@"http://\S+")]
    private static partial Regex ListeningUrl();
}
