using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Dumps;

/// <summary>VDM_DUMP_DIR through the real server: one file per request id, every stage, no key.</summary>
public class RequestDumpTests
{
    private const string ProviderKey = "sk-dump-provider-secret";
    private const string ProxyKey = "proxy-dump-secret-key";

    private const string Stream =
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Dumped hello\"}}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n" +
        "data: [DONE]\n\n";

    /// <summary>The dump is written once the response is over, which is just after the client has read it: wait for it, boundedly.</summary>
    private static async Task<string> DumpOfAsync(string directory, string requestId)
    {
        var path = Path.Combine(directory, requestId + ".txt");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(path) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return await File.ReadAllTextAsync(path);
    }

    private static async Task<(HttpResponseMessage Response, string Body)> PostAsync(RunningGateway gateway, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", ProxyKey);
        var response = await gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Stream_IsDumpedStageByStage_WithEveryKeyRedacted()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-dump-").FullName;
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(Stream);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", ProviderKey), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", ProxyKey), ("VDM_DUMP_DIR", directory)));

        // The client even pastes the proxy key into its message: the dump must not show it there either.
        var body = $$"""{"model":"openai:gpt-4o","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"my key is {{ProxyKey}}"}]}""";
        var (response, answer) = await PostAsync(gateway, body);
        using var _ = response;
        var requestId = response.Headers.GetValues("x-vdm-request-id").Single();
        var dump = await DumpOfAsync(directory, requestId);

        string[] stages = ["### client request", "### upstream request 1", "### upstream response", "### client response"];
        var positions = stages.Select(stage => dump.IndexOf(stage, StringComparison.Ordinal)).ToList();
        await Assert.That(positions).IsOrderedBy(position => position);
        await Assert.That(positions.All(position => position >= 0)).IsTrue();
        await Assert.That(dump).StartsWith($"# vdm request dump {requestId}, ");
        await Assert.That(dump).Contains("# POST /v1/messages  openai:gpt-4o -> openai:gpt-4o  200  ");
        await Assert.That(dump).Contains("POST /v1/messages\n");
        await Assert.That(dump).Contains("x-api-key: [redacted]");
        await Assert.That(dump).Contains("\"content\":\"my key is [redacted]\"");
        await Assert.That(dump).Contains($"POST {upstream.BaseUrl("/v1/chat/completions")}\n");
        await Assert.That(dump).Contains("Authorization: [redacted]");
        await Assert.That(dump).Contains("\"stream_options\":{\"include_usage\":true}");
        await Assert.That(dump).Contains("HTTP 200 OK\n");
        await Assert.That(dump).Contains(Stream);
        await Assert.That(dump).Contains("event: message_start");
        await Assert.That(dump[positions[3]..]).Contains(answer);
        await Assert.That(dump).DoesNotContain(ProviderKey);
        await Assert.That(dump).DoesNotContain(ProxyKey);
        await Assert.That(Directory.GetFiles(directory).Length).IsEqualTo(1);
        if (!OperatingSystem.IsWindows())
        {
            await Assert.That(File.GetUnixFileMode(Path.Combine(directory, requestId + ".txt"))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Test]
    public async Task Retry_DumpsEachUpstreamAttempt()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-dump-").FullName;
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(
            context =>
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            },
            context =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsync("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}");
            });
        var settings = TestVariables.Settings(("OPENAI_API_KEY", ProviderKey), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", ProxyKey),
            ("VDM_DUMP_DIR", directory), ("MAX_RETRIES", "1")) with
        { RetryBaseDelay = TimeSpan.Zero };
        await using var gateway = await RunningGateway.StartAsync(settings);

        var (response, _) = await PostAsync(gateway, """{"model":"openai:gpt-4o","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""");
        using var owned = response;
        var dump = await DumpOfAsync(directory, response.Headers.GetValues("x-vdm-request-id").Single());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(dump).Contains("### upstream request 1");
        await Assert.That(dump).Contains("### upstream request 2");
        await Assert.That(dump).Contains("\"content\":\"ok\"");
    }

    [Test]
    public async Task UnwritableDirectory_TheRequestStillSucceeds()
    {
        var file = Path.GetTempFileName();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(Stream);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", ProviderKey), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", ProxyKey), ("VDM_DUMP_DIR", file)));

        var (response, answer) = await PostAsync(gateway, """{"model":"openai:gpt-4o","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        using var _ = response;

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(answer).Contains("Dumped hello");
    }
}
