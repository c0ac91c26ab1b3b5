using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>
/// The three timeouts: STREAMING_CONNECT_TIMEOUT_SECONDS (connecting), REQUEST_TIMEOUT (until the headers) and
/// STREAMING_READ_TIMEOUT_SECONDS (silence once the answer has begun); each names itself when it runs out.
/// </summary>
public class TimeoutTests
{
    [Test]
    public async Task SlowHeaders_WithinTheRequestTimeout_AreWaitedFor()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.HeadersAfter(Task.Delay(300), UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("REQUEST_TIMEOUT", "10")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task NoHeadersBeforeTheRequestTimeout_Is504NamingIt()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.HeadersAfter(never.Task, UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("REQUEST_TIMEOUT", "0.3")));

        using var response = await PostAsync(gateway, Request);
        never.TrySetResult();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.GatewayTimeout);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            "\"type\":\"timeout_error\",\"message\":\"provider 'openai' did not answer within 0.3 s (REQUEST_TIMEOUT)\"");
    }

    [Test]
    public async Task ConnectionThatCannotOpen_Is504NamingTheConnectTimeout()
    {
        // A listener whose accept queue is full: the kernel drops further SYNs, so a connect neither succeeds nor fails.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                filler.Connect(endpoint);
            }
            catch (SocketException)
            {
                // In progress: it waits in the queue, or fills it.
            }

            fillers.Add(filler);
        }

        try
        {
            await using var gateway = await RunningGateway.StartAsync(Settings(
                ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", $"http://127.0.0.1:{endpoint.Port}/v1"),
                ("STREAMING_CONNECT_TIMEOUT_SECONDS", "0.3"), ("MAX_RETRIES", "0")));

            using var response = await PostAsync(gateway, Request);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.GatewayTimeout);
            await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
                $"could not connect to provider 'openai' at http://127.0.0.1:{endpoint.Port}/v1/chat/completions within 0.3 s (STREAMING_CONNECT_TIMEOUT_SECONDS)");
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [Test]
    public async Task TranslatedStream_SilentPastTheReadTimeout_EndsWithATimeoutErrorEvent()
    {
        var never = new TaskCompletionSource();
        var aborted = new TaskCompletionSource<long>();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.NotingAbort(aborted, UpstreamFaults.StallAfter(never.Task, UpstreamFaults.OpenAIStreamStart));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(stream).Contains("\"text\":\"Hel\"");
        await Assert.That(stream).EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"provider 'openai' sent nothing for 0.3 s (STREAMING_READ_TIMEOUT_SECONDS)\"}}\n\n");
        await Assert.That(stream).DoesNotContain("message_stop");

        // The stalled upstream request is closed, not left hanging.
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task PassthroughStream_SilentPastTheReadTimeout_EndsWithATimeoutErrorEvent()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n");
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl()), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostAsync(gateway, StreamRequest.Replace("openai:gpt-4o", "anthropic:claude-x", StringComparison.Ordinal));
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(stream).StartsWith("event: message_start\n");
        await Assert.That(stream).EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"timeout_error\",\"message\":\"provider 'anthropic' sent nothing for 0.3 s (STREAMING_READ_TIMEOUT_SECONDS)\"}}\n\n");
    }

    [Test]
    public async Task ChatCompletionsStream_SilentPastTheReadTimeout_EndsWithAnInBandTimeoutError()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task, UpstreamFaults.OpenAIStreamStart);
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostStreamingAsync(gateway, """{"model":"openai:gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", "/v1/chat/completions");

        // The error line, then a response cut off rather than ended: read what came, and see the cut.
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new System.Text.StringBuilder();
        var buffer = new char[4096];
        IOException? cutOff = null;
        try
        {
            while (await reader.ReadAsync(buffer) is var read and > 0)
            {
                received.Append(buffer, 0, read);
            }
        }
        catch (IOException exception)
        {
            cutOff = exception;
        }

        var stream = received.ToString();
        await Assert.That(cutOff).IsNotNull();
        await Assert.That(stream).StartsWith(UpstreamFaults.OpenAIStreamStart[0] + UpstreamFaults.OpenAIStreamStart[1]);
        await Assert.That(stream).Contains("\"type\":\"timeout_error\"");
        await Assert.That(stream).Contains("sent nothing for 0.3 s (STREAMING_READ_TIMEOUT_SECONDS)");
    }

    [Test]
    public async Task JsonBody_StallingAfterItsHeaders_Is504NamingTheReadTimeout()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task, "{\"id\":\"chatcmpl-1\",\"choices\":[");
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostAsync(gateway, Request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.GatewayTimeout);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            "\"type\":\"timeout_error\",\"message\":\"provider 'openai' sent nothing for 0.3 s (STREAMING_READ_TIMEOUT_SECONDS)\"");
    }

    [Test]
    public async Task SlowButSteadyStream_LongerThanTheReadTimeoutInTotal_IsNotCut()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var piece in (string[])[.. UpstreamFaults.OpenAIStreamStart, .. UpstreamFaults.OpenAIStreamEnd])
            {
                await context.Response.WriteAsync(piece);
                await context.Response.Body.FlushAsync();
                await Task.Delay(150);
            }
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("STREAMING_READ_TIMEOUT_SECONDS", "0.4")));

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(stream).DoesNotContain("event: error");
        await Assert.That(stream).Contains("event: message_stop");
    }

    [Test]
    public async Task PassthroughStream_SilentAfterMessageStop_EndsCleanlyWithoutAnErrorEvent()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl()), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostAsync(gateway, StreamRequest.Replace("openai:gpt-4o", "anthropic:claude-x", StringComparison.Ordinal));
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(stream).EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    [Test]
    public async Task ChatCompletionsStream_SilentAfterDone_EndsCleanlyWithoutAnError()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.StallAfter(never.Task, [.. UpstreamFaults.OpenAIStreamStart, .. UpstreamFaults.OpenAIStreamEnd]);
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("STREAMING_READ_TIMEOUT_SECONDS", "0.3")));

        using var response = await PostAsync(gateway, """{"model":"openai:gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""", "/v1/chat/completions");
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(stream).EndsWith("data: [DONE]\n\n");
    }
}
