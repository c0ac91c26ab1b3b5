using System.Net;
using System.Text.Json;

namespace Vdm.EndToEnd;

public class ServerLifecycleTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task ServerStart_FreePort_AnswersHealthAndStopsOnSigterm()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"],
            dotEnv: "OPENAI_API_KEY=sk-e2e-secret-key\n");

        var url = await vdm.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url, "/health"));
        var body = await response.Content.ReadAsStringAsync();
        vdm.Signal(Signals.Terminate);
        var exitCode = await vdm.WaitForExitAsync(StopTimeout);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        using var health = JsonDocument.Parse(body);
        await Assert.That(health.RootElement.GetProperty("status").GetString()).IsEqualTo("healthy");
        await Assert.That(health.RootElement.GetProperty("default_provider").GetString()).IsEqualTo("openai");
        await Assert.That(body).DoesNotContain("sk-e2e-secret-key");
        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(vdm.Stdout).IsEqualTo("");
    }

    [Test]
    public async Task ServerStart_LogFormatJson_WritesOnlyJsonObjectsWithTheRequestsFieldsAndNoKey()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"],
            new Dictionary<string, string> { ["LOG_FORMAT"] = "json", ["OPENAI_API_KEY"] = "sk-e2e-json-secret", ["PROXY_API_KEY"] = "proxy-json-secret" });

        var url = await vdm.WaitUntilListeningAsync(StartTimeout);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/metrics"));
        request.Headers.Add("x-api-key", "proxy-json-secret");
        using var response = await http.SendAsync(request);
        var requestId = response.Headers.GetValues("x-vdm-request-id").Single();
        vdm.Signal(Signals.Terminate);
        await vdm.WaitForExitAsync(StopTimeout);

        var lines = vdm.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        var completed = events.Single(e => e.GetProperty("EventId").GetInt32() == 20);
        await Assert.That(events.First().GetProperty("Message").GetString()).StartsWith("vdm ");
        await Assert.That(events.First().GetProperty("Message").GetString()).Contains(" listening on http://127.0.0.1:");
        await Assert.That(events.Last().GetProperty("Message").GetString()).IsEqualTo("vdm stopped");
        await Assert.That(completed.GetProperty("State").GetProperty("RequestId").GetString()).IsEqualTo(requestId);
        await Assert.That(completed.GetProperty("State").GetProperty("Path").GetString()).IsEqualTo("/metrics");
        await Assert.That(completed.GetProperty("State").GetProperty("Status").GetInt32()).IsEqualTo(200);
        await Assert.That(DateTimeOffset.TryParse(completed.GetProperty("Timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _)).IsTrue();
        await Assert.That(vdm.Stderr).DoesNotContain("json-secret");
    }

    [Test]
    public async Task ServerStart_Sigint_StopsGracefullyWithExitCodeZero()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"]);
        await vdm.WaitUntilListeningAsync(StartTimeout);

        vdm.Signal(Signals.Interrupt);
        var exitCode = await vdm.WaitForExitAsync(StopTimeout);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(vdm.Stderr).Contains("vdm stopped");
    }

    [Test]
    public async Task ServerStart_Banner_ListsProvidersWithFingerprintsAndClaudeCodeHint()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"],
            new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "!PASSTHRU", ["POE_API_KEY"] = "poe-secret-1 poe-secret-2", ["VDM_DEFAULT_PROVIDER"] = "poe" });

        var url = await vdm.WaitUntilListeningAsync(StartTimeout);
        vdm.Signal(Signals.Terminate);
        await vdm.WaitForExitAsync(StopTimeout);

        await Assert.That(vdm.Stderr).Contains("anthropic  anthropic  https://api.anthropic.com");
        await Assert.That(vdm.Stderr).Contains("!PASSTHRU");
        await Assert.That(vdm.Stderr).Contains("default provider: poe");
        await Assert.That(vdm.Stderr).Contains($"ANTHROPIC_BASE_URL=http://127.0.0.1:{url.Port}");
        await Assert.That(vdm.Stderr).DoesNotContain("poe-secret");
    }

    [Test]
    public async Task ServerStart_UnknownRoute_AnswersAnthropicShaped404()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"]);
        var url = await vdm.WaitUntilListeningAsync(StartTimeout);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(url, "/v1/nothing-here"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(body.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("not_found_error");
    }

    [Test]
    public async Task ServerStart_InvalidConfiguration_ExitsTwoWithOneLinePerProblemAndNoStackTrace()
    {
        var (exitCode, stdout, stderr) = await VdmProcess.RunAsync(["server", "start"],
            new Dictionary<string, string> { ["PORT"] = "eighty", ["OPENAI_API_FORMAT"] = "grpc", ["OPENAI_API_KEY"] = "sk-1" });

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stdout).IsEqualTo("");
        await Assert.That(stderr).Contains("PORT=eighty (env): must be a whole number from 0 to 65535");
        await Assert.That(stderr).Contains("OPENAI_API_FORMAT=grpc (env): must be openai or anthropic");
        await Assert.That(stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task ServerStart_PortAlreadyInUse_ExitsOneWithAClearMessage()
    {
        await using var first = VdmProcess.Start(["server", "start", "--port", "0"]);
        var url = await first.WaitUntilListeningAsync(StartTimeout);

        var (exitCode, _, stderr) = await VdmProcess.RunAsync(["server", "start", "--port", url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(stderr).Contains($"cannot listen on 127.0.0.1:{url.Port}");
        await Assert.That(stderr).DoesNotContain("   at ");
    }

    [Test]
    public async Task ServerStart_IgnoresAspNetCoreUrlVariables()
    {
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"],
            new Dictionary<string, string> { ["ASPNETCORE_URLS"] = "http://0.0.0.0:1", ["ASPNETCORE_HTTP_PORTS"] = "1" });

        var url = await vdm.WaitUntilListeningAsync(StartTimeout);

        vdm.Signal(Signals.Terminate);
        await vdm.WaitForExitAsync(StopTimeout);

        await Assert.That(url.Host).IsEqualTo("127.0.0.1");
        await Assert.That(url.Port).IsNotEqualTo(1);
        await Assert.That(vdm.Stderr).DoesNotContain("Overriding address");
    }

    [Test]
    public async Task ServerStart_SigtermDuringAStream_EndsItWithAnErrorEventAfterTheGrace_StopsAcceptingAndExitsZero()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStall("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n");
        await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"], new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = "sk-e2e",
            ["OPENAI_BASE_URL"] = provider.BaseUrl("/v1"),
            ["SHUTDOWN_TIMEOUT_SECONDS"] = "0.5",
        });
        var url = await vdm.WaitUntilListeningAsync(StartTimeout);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "/v1/messages"))
        {
            Content = new StringContent("""{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !line.Contains("\"text\":\"Hel\"", StringComparison.Ordinal))
        {
        }

        vdm.Signal(Signals.Terminate);
        var rest = await reader.ReadToEndAsync().WaitAsync(StopTimeout);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url, "/health")));
        var exitCode = await vdm.WaitForExitAsync(StopTimeout);

        await Assert.That(rest).EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"vdm is shutting down and ended the answer of provider 'openai'\"}}\n\n");
        await Assert.That(refused!.HttpRequestError).IsEqualTo(HttpRequestError.ConnectionError);
        await Assert.That(exitCode).IsEqualTo(0);
    }
}
