using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Middleware;

/// <summary>
/// A full tool loop through the real server against a fake Gemini (OpenAI-compatible endpoint) that signs each tool
/// call and, like Gemini, refuses the next turn unless every call comes back with its own signature.
/// </summary>
public class GeminiThoughtSignaturesTests
{
    private static readonly Dictionary<string, string> Issued = new()
    {
        ["call_a"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("signature of call a, opaque to everyone")),
        ["call_b"] = "sig-b-not-base64:" + new string('x', 300),
    };

    /// <summary>The fake Gemini: tool calls for a first turn, a refusal or the final text for the next.</summary>
    private static Func<HttpContext, Task> Gemini(FakeUpstream upstream, bool lateSignatures = false) => async context =>
    {
        // The fake upstream has read the body already, and recorded it.
        using var request = JsonDocument.Parse(upstream.Received.ToArray()[^1].Body);
        var root = request.RootElement;
        var stream = root.TryGetProperty("stream", out var s) && s.GetBoolean();
        var assistant = root.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("role").GetString() == "assistant");
        if (assistant.ValueKind == JsonValueKind.Undefined)
        {
            await ToolCallsAsync(context, stream, lateSignatures);
            return;
        }

        foreach (var call in assistant.GetProperty("tool_calls").EnumerateArray())
        {
            var id = call.GetProperty("id").GetString()!;
            var signature = call.TryGetProperty("extra_content", out var extra) ? extra.GetProperty("google").GetProperty("thought_signature").GetString() : null;
            if (!Issued.TryGetValue(id, out var expected) || signature != expected)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("[{\"error\":{\"code\":400,\"message\":\"Function call is missing a thought_signature in functionCall parts. (" + id + ")\",\"status\":\"INVALID_ARGUMENT\"}}]");
                return;
            }
        }

        var results = root.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool").Select(m => m.GetProperty("tool_call_id").GetString()).ToList();
        if (!results.Order().SequenceEqual(Issued.Keys.Order()))
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("""{"error":{"message":"tool results do not match the calls"}}""");
            return;
        }

        await FinalTextAsync(context, stream);
    };

    private static JsonObject Call(int index, string id, bool withSignature) => new()
    {
        ["index"] = index,
        ["id"] = id,
        ["type"] = "function",
        ["function"] = new JsonObject { ["name"] = "Read", ["arguments"] = $$"""{"file_path":"/tmp/{{id}}"}""" },
        ["extra_content"] = withSignature ? new JsonObject { ["google"] = new JsonObject { ["thought_signature"] = Issued[id] } } : null,
    };

    private static async Task ToolCallsAsync(HttpContext context, bool stream, bool lateSignatures)
    {
        if (!stream)
        {
            var message = new JsonObject
            {
                ["id"] = "gem-1",
                ["object"] = "chat.completion",
                ["model"] = "gemini-2.5-pro",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["tool_calls"] = new JsonArray(Call(0, "call_a", true), Call(1, "call_b", true)) },
                    ["finish_reason"] = "tool_calls",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5 },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(message.ToJsonString());
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var chunks = new List<JsonNode>();
        JsonObject Chunk(JsonArray calls, string? finish = null) => new()
        {
            ["id"] = "gem-1",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["tool_calls"] = calls }, ["finish_reason"] = finish }),
        };
        if (lateSignatures)
        {
            // The ids first, the signatures in later pieces of the same calls.
            chunks.Add(Chunk(new JsonArray(Call(0, "call_a", false), Call(1, "call_b", false))));
            chunks.Add(Chunk(new JsonArray(new JsonObject { ["index"] = 0, ["extra_content"] = new JsonObject { ["google"] = new JsonObject { ["thought_signature"] = Issued["call_a"] } } })));
            chunks.Add(Chunk(new JsonArray(new JsonObject { ["index"] = 1, ["extra_content"] = new JsonObject { ["google"] = new JsonObject { ["thought_signature"] = Issued["call_b"] } } })));
        }
        else
        {
            chunks.Add(Chunk(new JsonArray(Call(0, "call_a", true))));
            chunks.Add(Chunk(new JsonArray(Call(1, "call_b", true))));
        }

        chunks.Add(new JsonObject { ["id"] = "gem-1", ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "tool_calls" }) });
        foreach (var chunk in chunks)
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task FinalTextAsync(HttpContext context, bool stream)
    {
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"id":"gem-2","choices":[{"index":0,"message":{"role":"assistant","content":"Both files read."},"finish_reason":"stop"}]}""");
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync("data: {\"id\":\"gem-2\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Both files read.\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
    }

    /// <summary>The client side: Claude Code's first turn, then the tool results, echoing the tool-use ids it got.</summary>
    private static async Task<(HttpResponseMessage Second, string Text, List<string> Ids)> ToolLoopAsync(RunningGateway gateway, string model, bool stream)
    {
        var first = $$"""{"model":"{{model}}","max_tokens":200,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Read both files"}]}""";
        using var firstResponse = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(first, Encoding.UTF8, "application/json"));
        var firstText = await firstResponse.Content.ReadAsStringAsync();
        await Assert.That(firstResponse.StatusCode).IsEqualTo(HttpStatusCode.OK);
        var toolUses = stream ? ToolUsesFromStream(firstText) : ToolUsesFromMessage(firstText);

        var assistant = new JsonArray([.. toolUses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_use", ["id"] = use.Id, ["name"] = use.Name, ["input"] = JsonNode.Parse(use.Input) })]);
        var results = new JsonArray([.. toolUses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = use.Id, ["content"] = "contents of " + use.Id[..Math.Min(10, use.Id.Length)] })]);
        var second = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 200,
            ["stream"] = stream,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Read both files" },
                new JsonObject { ["role"] = "assistant", ["content"] = assistant },
                new JsonObject { ["role"] = "user", ["content"] = results }),
        };
        var secondResponse = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(second.ToJsonString(), Encoding.UTF8, "application/json"));
        return (secondResponse, await secondResponse.Content.ReadAsStringAsync(), [.. toolUses.Select(use => use.Id)]);
    }

    private static List<(string Id, string Name, string Input)> ToolUsesFromMessage(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("content").EnumerateArray().Where(block => block.GetProperty("type").GetString() == "tool_use")
            .Select(block => (block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!, block.GetProperty("input").GetRawText()))];
    }

    private static List<(string Id, string Name, string Input)> ToolUsesFromStream(string sse)
    {
        var uses = new List<(string Id, string Name, string Input)>();
        foreach (var line in sse.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal)))
        {
            using var data = JsonDocument.Parse(line["data: ".Length..]);
            if (data.RootElement.GetProperty("type").GetString() == "content_block_start" && data.RootElement.GetProperty("content_block") is var block
                && block.GetProperty("type").GetString() == "tool_use")
            {
                uses.Add((block.GetProperty("id").GetString()!, block.GetProperty("name").GetString()!, "{}"));
            }
        }

        return uses;
    }

    private static Task<RunningGateway> GatewayAsync(FakeUpstream gemini, params (string Name, string Value)[] more) =>
        RunningGateway.StartAsync(TestVariables.Settings([("ACME_API_KEY", "sk-acme"), ("ACME_BASE_URL", gemini.BaseUrl("/v1beta/openai")),
            ("VDM_ALIAS_SMART", "acme:google/gemini-2.5-pro"), .. more]));

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task ToolLoop_ParallelCalls_EverySignatureComesBackOnItsOwnCall(bool stream)
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini);
        await using var gateway = await GatewayAsync(gemini);

        // An alias to a provider whose name says nothing of Gemini: the signatures are what count.
        var (second, text, ids) = await ToolLoopAsync(gateway, "smart", stream);
        using var _ = second;

        await Assert.That(ids.Count).IsEqualTo(2);
        await Assert.That(ids.All(id => id.StartsWith("toolu_vdmts_", StringComparison.Ordinal))).IsTrue();
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(text).Contains("Both files read.");
    }

    [Test]
    public async Task ToolLoop_SignaturesAfterTheIdsInAStream_ComeBackFromTheStore()
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini, lateSignatures: true);
        await using var gateway = await GatewayAsync(gemini);

        var (second, text, ids) = await ToolLoopAsync(gateway, "acme:gemini-2.5-flash", stream: true);
        using var _ = second;

        await Assert.That(ids).IsEquivalentTo(["call_a", "call_b"]);
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(text).Contains("Both files read.");
    }

    [Test]
    public async Task ToolLoop_AfterARestart_TheCarriedSignaturesStillWork()
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini);
        var first = await GatewayAsync(gemini);
        var body = """{"model":"smart","max_tokens":200,"messages":[{"role":"user","content":"Read both files"}]}""";
        string firstAnswer;
        using (var response = await first.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json")))
        {
            firstAnswer = await response.Content.ReadAsStringAsync();
        }

        await first.DisposeAsync();
        await using var restarted = await GatewayAsync(gemini);
        var uses = ToolUsesFromMessage(firstAnswer);
        var second = new JsonObject
        {
            ["model"] = "smart",
            ["max_tokens"] = 200,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Read both files" },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray([.. uses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_use", ["id"] = use.Id, ["name"] = use.Name, ["input"] = JsonNode.Parse(use.Input) })]) },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray([.. uses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = use.Id, ["content"] = "ok" })]) }),
        };
        using var answer = await restarted.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(second.ToJsonString(), Encoding.UTF8, "application/json"));

        await Assert.That(answer.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task NextTurnToAProviderWithoutTheMiddleware_GetsTheOriginalIdsAndNoSignatures()
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini);
        await using var plain = await FakeUpstream.StartAsync();
        plain.RespondJson("""{"id":"p","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""");
        await using var gateway = await GatewayAsync(gemini, ("PLAIN_API_KEY", "sk-plain"), ("PLAIN_BASE_URL", plain.BaseUrl("/v1")), ("PLAIN_MIDDLEWARE", "none"));
        using var first = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent("""{"model":"smart","max_tokens":200,"messages":[{"role":"user","content":"Read both files"}]}""", Encoding.UTF8, "application/json"));
        var uses = ToolUsesFromMessage(await first.Content.ReadAsStringAsync());

        // The user switches model: the same conversation goes on with another provider.
        var second = new JsonObject
        {
            ["model"] = "plain:gpt-4o",
            ["max_tokens"] = 200,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Read both files" },
                new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray([.. uses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_use", ["id"] = use.Id, ["name"] = use.Name, ["input"] = JsonNode.Parse(use.Input) })]) },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray([.. uses.Select(use => (JsonNode)new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = use.Id, ["content"] = "ok" })]) }),
        };
        using var answer = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(second.ToJsonString(), Encoding.UTF8, "application/json"));
        var sent = plain.Received.Single().BodyText;

        await Assert.That(answer.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(uses.All(use => use.Id.StartsWith("toolu_vdmts_", StringComparison.Ordinal))).IsTrue();
        await Assert.That(sent).Contains("\"id\":\"call_a\"");
        await Assert.That(sent).Contains("\"tool_call_id\":\"call_b\"");
        await Assert.That(sent).DoesNotContain("toolu_vdmts_");
        await Assert.That(sent).DoesNotContain("extra_content");
    }

    [Test]
    public async Task ToolLoop_Disabled_GeminiRefusesTheNextTurn()
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini);
        await using var gateway = await GatewayAsync(gemini, ("GEMINI_THOUGHT_SIGNATURES_ENABLED", "false"));

        var (second, text, ids) = await ToolLoopAsync(gateway, "smart", stream: false);
        using var _ = second;

        await Assert.That(ids).IsEquivalentTo(["call_a", "call_b"]);
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(text).Contains("missing a thought_signature");
    }

    [Test]
    public async Task ToolLoop_ProviderMiddlewareNone_LeavesTheAnswerAlone()
    {
        await using var gemini = await FakeUpstream.StartAsync();
        gemini.Handler = Gemini(gemini);
        await using var gateway = await GatewayAsync(gemini, ("ACME_MIDDLEWARE", "none"));

        var (second, _, ids) = await ToolLoopAsync(gateway, "smart", stream: true);
        using var _2 = second;

        await Assert.That(ids).IsEquivalentTo(["call_a", "call_b"]);
        await Assert.That(second.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }
}
