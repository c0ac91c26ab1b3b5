using System.Diagnostics;
using System.Net;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>MAX_RETRIES: which failures are sent again, how long vdm waits, and when it stops.</summary>
public class RetryTests
{
    [Test]
    [Arguments(408)]
    [Arguments(409)]
    [Arguments(429)]
    [Arguments(500)]
    [Arguments(502)]
    [Arguments(503)]
    [Arguments(504)]
    [Arguments(529)]
    public async Task RetryableStatus_ThenSuccess_TheClientGetsTheSuccess(int status)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(status), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("Hello!");
        await Assert.That(upstream.Received.Count).IsEqualTo(2);
    }

    [Test]
    [Arguments(400)]
    [Arguments(404)]
    [Arguments(413)]
    [Arguments(422)]
    [Arguments(501)]
    public async Task NonRetryableStatus_IsAnsweredAtOnce(int status)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(status), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, Request);

        await Assert.That((int)response.StatusCode).IsEqualTo(status);
        await Assert.That(upstream.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task AlwaysFailing_IsSentOncePlusMaxRetries_ThenTheLastAnswerGoesToTheClient()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Status(503);
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "3")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That((int)response.StatusCode).IsEqualTo(529);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("\"type\":\"overloaded_error\"");
        await Assert.That(upstream.Received.Count).IsEqualTo(4);
    }

    [Test]
    public async Task MaxRetriesZero_SendsOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Status(500);
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "0")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That((int)response.StatusCode).IsEqualTo(500);
        await Assert.That(upstream.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task RetryAfterMs_IsWaitedOut()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(429, ("retry-after-ms", "300")), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        var started = Stopwatch.GetTimestamp();
        using var response = await PostAsync(gateway, Request);
        var elapsed = Stopwatch.GetElapsedTime(started);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        // A timer may fire a millisecond early; without the wait this takes a few milliseconds.
        await Assert.That(elapsed).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }

    [Test]
    public async Task RetryAfterLongerThanTheCap_GoesToTheClientAtOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(503, ("retry-after", "120")), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("RETRY_AFTER_MAX_SECONDS", "30")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That((int)response.StatusCode).IsEqualTo(529);
        await Assert.That(response.Headers.RetryAfter?.Delta).IsEqualTo(TimeSpan.FromSeconds(120));
        await Assert.That(upstream.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task RateLimitedKey_SwitchesKeyWithoutSpendingARetry()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            var ok = context.Request.Headers.Authorization.ToString() == "Bearer k2";
            await (ok ? UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer) : UpstreamFaults.Status(429, ("retry-after", "60")))(context);
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k1 k2"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "0")));

        using var first = await PostAsync(gateway, Request);
        using var second = await PostAsync(gateway, Request);

        await Assert.That(first.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.OK);

        // k1 refused once and then rests; the second request goes straight to k2.
        await Assert.That(string.Join(",", upstream.Received.Select(r => r.Header("authorization")))).IsEqualTo("Bearer k1,Bearer k2,Bearer k2");
    }

    [Test]
    public async Task ConnectionRefused_IsRetriedThenA502NamingTheProviderAndUrl()
    {
        var port = ClosedPort.Find();

        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", $"http://127.0.0.1:{port}/v1")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            $"\"type\":\"api_error\",\"message\":\"could not connect to provider 'openai' at http://127.0.0.1:{port}/v1/chat/completions: Connection refused\"");
    }

    [Test]
    public async Task UnknownHost_IsA502NamingTheProviderAndUrl()
    {
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "http://no-such-host.invalid/v1"), ("MAX_RETRIES", "0")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(await response.Content.ReadAsStringAsync())
            .Contains("could not resolve the host of provider 'openai' at http://no-such-host.invalid/v1/chat/completions");
    }

    [Test]
    public async Task Retries_StopAtTheRequestDeadline()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Status(503, ("retry-after-ms", "250"));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "50"), ("REQUEST_TIMEOUT", "0.6")));

        var started = Stopwatch.GetTimestamp();
        using var response = await PostAsync(gateway, Request);
        var elapsed = Stopwatch.GetElapsedTime(started);

        // A retry is only made when its wait ends before the deadline: at most three sends fit in 0.6 s.
        await Assert.That((int)response.StatusCode).IsEqualTo(529);
        await Assert.That(upstream.Received.Count).IsBetween(2, 3);
        await Assert.That(elapsed).IsLessThan(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task Stream_RetryableStatusBeforeTheHeaders_IsRetriedAndTheClientSeesOneCleanStream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(502), UpstreamFaults.Stream([.. UpstreamFaults.OpenAIStreamStart, .. UpstreamFaults.OpenAIStreamEnd]));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(Conversion.Streaming.AnthropicStreamAccumulator.Replay(stream).Blocks).IsEquivalentTo(["text: Hello"]);
        await Assert.That(stream.Split("event: message_start").Length).IsEqualTo(2);
    }

    [Test]
    [Arguments("Infinity")]
    [Arguments("NaN")]
    [Arguments("100000000000000000000")]
    [Arguments("-5")]
    [Arguments("soon")]
    public async Task UnusableRetryAfterMs_IsIgnored_NotA500(string value)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondInTurn(UpstreamFaults.Status(429, ("retry-after-ms", value)), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k1 k2"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Count).IsEqualTo(2);
    }

    [Test]
    public async Task ConnectionBrokenAfterTheWholeRequestWasSent_IsNotRetried()
    {
        // The provider read the request, so it may be generating (and billing) an answer: sending it again could double that.
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context =>
        {
            context.Abort();
            return Task.CompletedTask;
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("failed before it answered");
        await Assert.That(upstream.Received.Count).IsEqualTo(1);
    }
}
