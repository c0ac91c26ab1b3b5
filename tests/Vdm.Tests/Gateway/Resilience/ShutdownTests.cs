using System.Net;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>
/// SIGTERM (here, the host's stop): in-flight requests and streams get SHUTDOWN_TIMEOUT_SECONDS to finish; a stream
/// still open then ends with an error event, and a call still waiting for headers is answered 503.
/// </summary>
public class ShutdownTests
{
    [Test]
    public async Task StreamThatFinishesWithinTheGrace_EndsNormally()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            await UpstreamFaults.StallAfter(release.Task, UpstreamFaults.OpenAIStreamStart)(context);
            await UpstreamFaults.Stream(UpstreamFaults.OpenAIStreamEnd)(context);
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("SHUTDOWN_TIMEOUT_SECONDS", "10")));

        using var response = await PostStreamingAsync(gateway, StreamRequest);
        var reading = response.Content.ReadAsStringAsync();
        var stopping = gateway.StopAsync();
        release.SetResult();
        var stream = await reading;
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(Conversion.Streaming.AnthropicStreamAccumulator.Replay(stream).Blocks).IsEquivalentTo(["text: Hello"]);
        await Assert.That(stream).DoesNotContain("event: error");
    }

    [Test]
    public async Task StreamStillOpenWhenTheGraceEnds_EndsWithAnErrorEvent_AndTheServerStops()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task, UpstreamFaults.OpenAIStreamStart);
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("SHUTDOWN_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostStreamingAsync(gateway, StreamRequest);
        var reading = response.Content.ReadAsStringAsync();
        await gateway.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var stream = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(stream).Contains("\"text\":\"Hel\"");
        await Assert.That(stream).EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"vdm is shutting down and ended the answer of provider 'openai'\"}}\n\n");
    }

    [Test]
    public async Task CallStillWaitingForHeadersWhenTheGraceEnds_Is503()
    {
        var never = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context =>
        {
            arrived.TrySetResult();
            return UpstreamFaults.HeadersAfter(never.Task, UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer))(context);
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("SHUTDOWN_TIMEOUT_SECONDS", "0.3")));

        var call = PostAsync(gateway, Request);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await gateway.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            "\"type\":\"overloaded_error\",\"message\":\"vdm is shutting down; the call to provider 'openai' was abandoned, retry it\"");
    }
}
