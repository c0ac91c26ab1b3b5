using System.Net;
using Vdm.Tests.Conversion.Streaming;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>Fallback aliases (VDM_ALIAS_SMART=openai:gpt-4o,anthropic:claude-x): the next target takes over when one fails retryably.</summary>
public class FallbackTests
{
    private const string SmartRequest = """{"model":"smart","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";

    private static async Task<(FakeUpstream OpenAI, FakeUpstream Anthropic, RunningGateway Gateway)> StartAsync(params (string Name, string Value)[] extra)
    {
        var openai = await FakeUpstream.StartAsync();
        var anthropic = await FakeUpstream.StartAsync();
        anthropic.Handler = UpstreamFaults.Json(UpstreamFaults.AnthropicAnswer);
        var gateway = await RunningGateway.StartAsync(Settings([
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", anthropic.BaseUrl()),
            ("VDM_ALIAS_SMART", "openai:gpt-4o, anthropic:claude-x"), ("MAX_RETRIES", "1"), .. extra]));
        return (openai, anthropic, gateway);
    }

    [Test]
    public async Task FirstTargetOverloaded_TheSecondAnswers_ConvertedForItsOwnFormat()
    {
        var (openai, anthropic, gateway) = await StartAsync();
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            openai.Handler = UpstreamFaults.Status(503);

            using var response = await PostAsync(gateway, SmartRequest);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(await response.Content.ReadAsStringAsync()).Contains("Hi from Anthropic");

            // The first target had its retry; the second got the client's body as a passthrough, with its own model.
            await Assert.That(openai.Received.Count).IsEqualTo(2);
            await Assert.That(anthropic.Received.Single().BodyText).IsEqualTo(
                """{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""");
        }
    }

    [Test]
    public async Task FirstTargetUnreachable_TheSecondAnswers()
    {
        var port = ClosedPort.Find();

        var (openai, anthropic, gateway) = await StartAsync(("OPENAI_BASE_URL", $"http://127.0.0.1:{port}/v1"));
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            using var response = await PostAsync(gateway, SmartRequest);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(anthropic.Received.Count).IsEqualTo(1);
        }
    }

    [Test]
    public async Task FirstTargetRejectsTheRequest_NoFallback_TheClientGetsTheRejection()
    {
        var (openai, anthropic, gateway) = await StartAsync();
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            openai.Handler = UpstreamFaults.Status(400);

            using var response = await PostAsync(gateway, SmartRequest);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
            await Assert.That(anthropic.Received.Count).IsEqualTo(0);
        }
    }

    [Test]
    public async Task EveryKeyOfTheFirstTargetRefused_TheSecondAnswers()
    {
        var (openai, anthropic, gateway) = await StartAsync();
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            openai.Handler = UpstreamFaults.Status(401);

            using var response = await PostAsync(gateway, SmartRequest);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(openai.Received.Count).IsEqualTo(1);
        }
    }

    [Test]
    public async Task EveryTargetFails_TheClientGetsTheLastTargetsAnswer()
    {
        var (openai, anthropic, gateway) = await StartAsync();
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            openai.Handler = UpstreamFaults.Status(503);
            anthropic.Handler = UpstreamFaults.Json("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", 529);

            using var response = await PostAsync(gateway, SmartRequest);

            await Assert.That((int)response.StatusCode).IsEqualTo(529);
            await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");
            await Assert.That(anthropic.Received.Count).IsEqualTo(2);
        }
    }

    [Test]
    public async Task Stream_FirstTargetFailsBeforeItsHeaders_TheClientSeesOnlyTheSecondsStream()
    {
        var (openai, anthropic, gateway) = await StartAsync();
        await using (openai)
        await using (anthropic)
        await using (gateway)
        {
            openai.Handler = UpstreamFaults.Status(500);
            anthropic.Handler = UpstreamFaults.Stream(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Fallback\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

            using var response = await PostAsync(gateway, SmartRequest.Replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"", StringComparison.Ordinal));
            var stream = await response.Content.ReadAsStringAsync();

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(AnthropicStreamAccumulator.Replay(stream).Blocks).IsEquivalentTo(["text: Fallback"]);
            await Assert.That(stream).DoesNotContain("event: error");
        }
    }

    [Test]
    public async Task ChatCompletions_FallsBackOnlyToOpenAIFormatTargets()
    {
        await using var first = await FakeUpstream.StartAsync();
        await using var second = await FakeUpstream.StartAsync();
        first.Handler = UpstreamFaults.Status(503);
        second.Handler = UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", first.BaseUrl("/v1")),
            ("GROQ_API_KEY", "g"), ("GROQ_BASE_URL", second.BaseUrl("/v1")),
            ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://127.0.0.1:9/"),
            ("VDM_ALIAS_SMART", "openai:gpt-4o,anthropic:claude-x,groq:llama-3"), ("MAX_RETRIES", "0")));

        using var response = await PostAsync(gateway, """{"model":"smart","messages":[{"role":"user","content":"Hi"}]}""", "/v1/chat/completions");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(UpstreamFaults.OpenAIAnswer);
        await Assert.That(second.Received.Single().BodyText).Contains("\"model\":\"llama-3\"");
    }
}
