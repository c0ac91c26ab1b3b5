using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary><c>vdm health upstream</c>: each provider's model list asked with its key, a table or JSON, exit 1 on any failure.</summary>
public class UpstreamHealthTests
{
    [Test]
    public async Task Upstream_EveryProviderAnswers_TableOfOkRows_ExitsZero()
    {
        await using var openai = await FakeUpstream.StartAsync();
        openai.Handler = UpstreamFaults.Json("""{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}""");
        await using var anthropic = await FakeUpstream.StartAsync();
        anthropic.Handler = UpstreamFaults.Json("""{"data":[{"id":"claude-x","type":"model"}],"has_more":false}""");
        using var cli = new CliRun(
            ("OPENAI_API_KEY", "sk-o"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("ANTHROPIC_API_KEY", "sk-a"), ("ANTHROPIC_BASE_URL", anthropic.BaseUrl()), ("VDM_DEFAULT_PROVIDER", "openai"));

        var exitCode = await cli.RunAsync(["health", "upstream"]);
        var lines = cli.Output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(lines[0]).StartsWith("PROVIDER   STATUS    LATENCY  DETAIL");
        await Assert.That(lines.Skip(1).Any(line => line.StartsWith("openai     ok (200)", StringComparison.Ordinal) && line.EndsWith(openai.BaseUrl("/v1/models"), StringComparison.Ordinal))).IsTrue();
        await Assert.That(lines.Skip(1).Any(line => line.StartsWith("anthropic  ok (200)", StringComparison.Ordinal))).IsTrue();

        // Each with its own credentials, the way the gateway sends them.
        await Assert.That(openai.Received.Single().Path).IsEqualTo("/v1/models");
        await Assert.That(openai.Received.Single().Header("authorization")).IsEqualTo("Bearer sk-o");
        await Assert.That(anthropic.Received.Single().Path).IsEqualTo("/v1/models");
        await Assert.That(anthropic.Received.Single().Header("x-api-key")).IsEqualTo("sk-a");
        await Assert.That(anthropic.Received.Single().Header("anthropic-version")).IsEqualTo("2023-06-01");
    }

    [Test]
    public async Task Upstream_RefusedKeyUnreachableAndPassthrough_JsonSaysWhich_ExitsOne()
    {
        await using var openai = await FakeUpstream.StartAsync();
        openai.Handler = UpstreamFaults.Json("""{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}""", 401);
        var closed = ClosedPort.Find();
        using var cli = new CliRun(
            ("OPENAI_API_KEY", "sk-bad"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("GROQ_API_KEY", "g"), ("GROQ_BASE_URL", $"http://127.0.0.1:{closed}/v1"),
            ("ANTHROPIC_API_KEY", "!PASSTHRU"), ("VDM_DEFAULT_PROVIDER", "openai"));

        var exitCode = await cli.RunAsync(["health", "upstream", "--json"]);
        using var json = JsonDocument.Parse(cli.Output.ToString());
        var providers = json.RootElement.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(json.RootElement.GetProperty("healthy").GetBoolean()).IsFalse();
        await Assert.That(providers["openai"].GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(providers["openai"].GetProperty("http_status").GetInt32()).IsEqualTo(401);
        await Assert.That(providers["openai"].GetProperty("detail").GetString()).IsEqualTo("Incorrect API key provided");
        await Assert.That(providers["groq"].GetProperty("status").GetString()).IsEqualTo("failed");
        await Assert.That(providers["groq"].GetProperty("detail").GetString()).Contains("Connection refused");
        await Assert.That(providers["anthropic"].GetProperty("status").GetString()).IsEqualTo("skipped");
        await Assert.That(cli.Output.ToString()).DoesNotContain("sk-bad");
    }

    [Test]
    public async Task Upstream_OneProvider_ProbesOnlyIt()
    {
        await using var openai = await FakeUpstream.StartAsync();
        openai.Handler = UpstreamFaults.Json("""{"data":[]}""");
        var closed = ClosedPort.Find();
        using var cli = new CliRun(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("GROQ_API_KEY", "g"), ("GROQ_BASE_URL", $"http://127.0.0.1:{closed}/v1"), ("VDM_DEFAULT_PROVIDER", "openai"));

        var exitCode = await cli.RunAsync(["health", "upstream", "--provider", "OpenAI"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).DoesNotContain("groq");
    }

    [Test]
    public async Task Upstream_NoModelList_IsReachableNotFailed()
    {
        await using var ollama = await FakeUpstream.StartAsync();
        ollama.Handler = UpstreamFaults.Status(404);
        using var cli = new CliRun(("LOCAL_API_KEY", ""), ("LOCAL_BASE_URL", ollama.BaseUrl("/v1")));

        var exitCode = await cli.RunAsync(["health", "upstream"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("local     reachable (404)");
    }

    [Test]
    public async Task Upstream_UnknownProvider_IsAUsageError()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"));

        var exitCode = await cli.RunAsync(["health", "upstream", "--provider", "nope"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("vdm: no provider 'nope' (configured: openai)");
    }
}
