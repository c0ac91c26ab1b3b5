using System.Net;
using System.Text.Json;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>
/// A provider that answers nonsense: broken streams, bodies that are not JSON, HTML error pages, answers too large.
/// The client always gets a well-formed Anthropic answer: an error with the right status, or an error event.
/// </summary>
public class FaultTests
{
    private static async Task AssertAnthropicErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        await Assert.That(response.StatusCode).IsEqualTo(status);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(document.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(document.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo(type);
    }

    private static async Task<RunningGateway> GatewayForAsync(FakeUpstream upstream, params (string Name, string Value)[] extra) =>
        await RunningGateway.StartAsync(Settings([("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "0"), .. extra]));

    /// <summary>Reads the gateway's stream until <paramref name="marker"/> has arrived, then lets the upstream break, then reads the rest.</summary>
    private static async Task<string> ReadBreakingAfterAsync(HttpResponseMessage response, string marker, TaskCompletionSource breakNow)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new System.Text.StringBuilder();
        var buffer = new char[4096];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(buffer, 0, read);
        }

        breakNow.TrySetResult();
        text.Append(await reader.ReadToEndAsync());
        return text.ToString();
    }

    [Test]
    public async Task TranslatedStream_ResetMidStream_EndsWithAnErrorEvent()
    {
        var breakNow = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.ResetAfter(breakNow.Task, UpstreamFaults.OpenAIStreamStart);
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostStreamingAsync(gateway, StreamRequest);
        var stream = await ReadBreakingAfterAsync(response, "\"text\":\"Hel\"", breakNow);

        await Assert.That(stream).Contains("\"text\":\"Hel\"");
        await Assert.That(stream).EndsWith(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"The upstream stream ended unexpectedly.\"}}\n\n");
    }

    [Test]
    public async Task PassthroughStream_ResetMidEvent_EndsWithAnErrorEventOfItsOwn()
    {
        var breakNow = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.ResetAfter(breakNow.Task,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_bl");
        await using var gateway = await RunningGateway.StartAsync(Settings(("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        using var response = await PostStreamingAsync(gateway, StreamRequest.Replace("openai:gpt-4o", "anthropic:claude-x", StringComparison.Ordinal));
        var stream = await ReadBreakingAfterAsync(response, "content_bl", breakNow);

        await Assert.That(stream).StartsWith("event: message_start\n");
        await Assert.That(stream).Contains("{\"type\":\"content_bl\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"");
    }

    [Test]
    public async Task TranslatedStream_CommentsRetryAndUnknownEvents_AreIgnored()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Stream(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n",
            ": a comment line\n\nretry: 10\n\nid: 7\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(Conversion.Streaming.AnthropicStreamAccumulator.Replay(stream).Blocks).IsEquivalentTo(["text: AB"]);
        await Assert.That(stream).EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    [Test]
    public async Task TranslatedStream_MalformedChunk_EndsWithAnErrorEventAfterWhatCameBefore()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Stream(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n",
            "data: {this is not json\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        // A chunk that cannot be read may have carried text: the answer is incomplete, and the client is told so.
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(stream).Contains("\"text\":\"A\"");
        await Assert.That(stream).DoesNotContain("\"text\":\"B\"");
        await Assert.That(stream).EndsWith("\"message\":\"The upstream sent malformed JSON in its stream.\"}}\n\n");
    }

    [Test]
    public async Task TranslatedStream_EndingWithoutAnyEvent_EndsWithAnErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Stream();
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(stream).StartsWith("event: message_start\n");
        await Assert.That(stream).EndsWith("\"message\":\"The upstream stream ended unexpectedly.\"}}\n\n");
    }

    [Test]
    [Arguments("{\"id\":\"x\",\"choices\":[{")]
    [Arguments("not json at all")]
    [Arguments("")]
    [Arguments("[1,2,3]")]
    public async Task Json_Garbage_Is502(string body)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json(body);
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, Request);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.BadGateway, "api_error");
    }

    [Test]
    public async Task HtmlErrorPage_IsMappedToTheStatusWithItsTitleAsTheMessage()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Html(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, Request);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.BadGateway, "api_error");
        await Assert.That(await response.Content.ReadAsStringAsync()).DoesNotContain("<");
    }

    [Test]
    public async Task HugeErrorPage_IsStillMappedWithoutReadingItAll()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Html(500, "<html><head><title>Internal failure</title></head><body>" + new string('x', 4 * 1024 * 1024) + "</body></html>");
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, Request);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.InternalServerError, "api_error");
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("Internal failure");
    }

    [Test]
    public async Task OversizedAnswer_Is502SayingSo()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var content = new string('a', 200 * 1024);
        upstream.Handler = UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer.Replace("Hello!", content, StringComparison.Ordinal));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))) with
        {
            MaxResponseBytes = 64 * 1024,
        });

        using var response = await PostAsync(gateway, Request);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.BadGateway, "api_error");
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("is larger than the 64 KB vdm accepts");
    }

    [Test]
    public async Task ChatCompletions_OversizedAnswer_Is502InOpenAIShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer.Replace("Hello!", new string('a', 200 * 1024), StringComparison.Ordinal));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))) with
        {
            MaxResponseBytes = 64 * 1024,
        });

        using var response = await PostAsync(gateway, """{"model":"openai:gpt-4o","messages":[{"role":"user","content":"Hi"}]}""", "/v1/chat/completions");
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).StartsWith("{\"error\":{");
        await Assert.That(body).Contains("is larger than the 64 KB vdm accepts");
    }

    [Test]
    public async Task StreamAskedButJsonGiven_IsReplayedAsAStream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer);
        await using var gateway = await GatewayForAsync(upstream);

        using var response = await PostAsync(gateway, StreamRequest);
        var stream = await response.Content.ReadAsStringAsync();

        await Assert.That(Conversion.Streaming.AnthropicStreamAccumulator.Replay(stream).Blocks).IsEquivalentTo(["text: Hello!"]);
    }
}
