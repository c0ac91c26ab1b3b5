using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// Nothing a client can send produces a 500, a crash or a hang: thousands of generated malformed, truncated and
/// oddly typed bodies go to every endpoint that reads one, through a real server routing to an OpenAI-format and an
/// Anthropic-format provider (both of which answer any request they get with a valid 200), and every answer must be
/// a 2xx (the body happened to be valid) or a 4xx error of the endpoint's shape, within a few seconds.
/// </summary>
public class MalformedInputTests
{
    private const int Seed = 20250805;
    private const int Concurrency = 4;
    private const string OpenAIModel = "openai:gpt-4o";
    private const string AnthropicModel = "anthropic:claude-x";
    private const string Messages = "/v1/messages";
    private const string CountTokens = "/v1/messages/count_tokens";
    private const string ChatCompletions = "/v1/chat/completions";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Test]
    public async Task GeneratedBodies_OnEveryEndpoint_AreAnsweredWithA2xxOrAWellFormed4xx()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = AnswerValidlyAsync;
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-o"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")),
            ("ANTHROPIC_API_KEY", "sk-a"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl()),
            ("MISTRAL_API_KEY", "sk-m"), ("MISTRAL_BASE_URL", upstream.BaseUrl("/v1")),
            ("DEEPSEEK_API_KEY", "sk-d"), ("DEEPSEEK_BASE_URL", upstream.BaseUrl("/v1")),
            ("OLLAMA_API_KEY", ""), ("OLLAMA_BASE_URL", upstream.BaseUrl("/v1")),
            ("VDM_DEFAULT_PROVIDER", "openai"), ("MAX_RETRIES", "0")));
        var sends = Plan().ToList();
        var failures = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (send, _) =>
        {
            var (status, failure) = await SendAsync(gateway.Client, send);
            answered.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (failure is not null)
            {
                failures.Enqueue(failure);
            }

            // The fake provider records every body it gets; the valid ones are not needed here.
            if (upstream.Received.Count > 64)
            {
                upstream.Received.Clear();
            }
        });

        var summary = $"{sends.Count} requests in {clock.Elapsed.TotalSeconds:F1} s, by status: " +
            string.Join(", ", answered.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}×{pair.Value}"));
        await Assert.That(failures.IsEmpty ? "" : $"{failures.Count} bad answers ({summary}):\n" + string.Join('\n', failures.Take(40)))
            .IsEqualTo("");
    }

    /// <summary>What goes where: every Messages body to both Messages endpoints of both providers and to Chat Completions, and the reverse.</summary>
    private static IEnumerable<Send> Plan()
    {
        var random = new Random(Seed);
        foreach (var model in new[] { OpenAIModel, AnthropicModel })
        {
            foreach (var body in AnthropicBodies(model, random))
            {
                yield return new Send(Messages, ErrorShape.Anthropic, body);
                yield return new Send(CountTokens, ErrorShape.Anthropic, body);
                if (model == OpenAIModel)
                {
                    yield return new Send(ChatCompletions, ErrorShape.OpenAI, body);
                }
            }
        }

        foreach (var body in ChatBodies(OpenAIModel, random))
        {
            yield return new Send(ChatCompletions, ErrorShape.OpenAI, body);
            yield return new Send(Messages, ErrorShape.Anthropic, body);
        }

        // The provider profiles that take paths of their own through the conversion: Gemini's schema rewriting, Mistral's
        // short tool ids, DeepSeek's reasoning echo, Ollama's top_k.
        foreach (var model in new[] { "openai:gemini-2.5-pro", "mistral:mistral-large", "deepseek:deepseek-reasoner", "ollama:llama3" })
        {
            var full = SeedBodies.WithModel(SeedBodies.Full, model);
            foreach (var body in FieldReplacements.Generate(model, full, random, perPath: 3).Concat(OddShapes.Generate(model)))
            {
                yield return new Send(Messages, ErrorShape.Anthropic, body);
            }
        }
    }

    private static IEnumerable<FuzzCase> AnthropicBodies(string model, Random random)
    {
        foreach (var (name, seed) in new[] { ("minimal", SeedBodies.Minimal), ("full", SeedBodies.Full), ("plain", SeedBodies.Plain) })
        {
            var text = SeedBodies.WithModel(seed, model);
            var bytes = Encoding.UTF8.GetBytes(text);
            yield return new FuzzCase($"{name} as written", bytes);
            var small = name != "full";
            foreach (var body in BodyMutations.Truncations(name, bytes, random, small ? null : 8)
                .Concat(BodyMutations.ByteFlips(name, bytes, random, small ? 40 : 150))
                .Concat(BodyMutations.BadText(name, bytes, random, small ? 20 : 60))
                .Concat(FieldReplacements.Generate(name, text, random, small ? null : 8)))
            {
                yield return body;
            }
        }

        var claudeCode = SeedBodies.WithModel(SeedBodies.ClaudeCode, model);
        var claudeCodeBytes = Encoding.UTF8.GetBytes(claudeCode);
        yield return new FuzzCase("claude-code as written", claudeCodeBytes);
        foreach (var body in BodyMutations.Truncations("claude-code", claudeCodeBytes, random, 10)
            .Concat(BodyMutations.ByteFlips("claude-code", claudeCodeBytes, random, 100))
            .Concat(BodyMutations.BadText("claude-code", claudeCodeBytes, random, 30))
            .Concat(FieldReplacements.Generate("claude-code", claudeCode, random, 2, share: 0.1))
            .Concat(OddShapes.Generate(model)))
        {
            yield return body;
        }
    }

    private static IEnumerable<FuzzCase> ChatBodies(string model, Random random)
    {
        foreach (var (name, seed) in new[] { ("chat-minimal", SeedBodies.ChatMinimal), ("chat-full", SeedBodies.ChatFull) })
        {
            var text = SeedBodies.WithModel(seed, model);
            var bytes = Encoding.UTF8.GetBytes(text);
            var small = name == "chat-minimal";
            yield return new FuzzCase($"{name} as written", bytes);
            foreach (var body in BodyMutations.Truncations(name, bytes, random, small ? null : 8)
                .Concat(BodyMutations.ByteFlips(name, bytes, random, small ? 30 : 100))
                .Concat(BodyMutations.BadText(name, bytes, random, small ? 20 : 40))
                .Concat(FieldReplacements.Generate(name, text, random, small ? null : 8)))
            {
                yield return body;
            }
        }
    }

    /// <summary>Sends one body; the answer's status, and what is wrong with the answer, if anything.</summary>
    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, Send send)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        try
        {
            using var content = new ByteArrayContent(send.Body.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri(send.Path, UriKind.Relative), content, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var problem = status switch
            {
                >= 200 and < 300 => null,
                >= 400 and < 500 => ErrorShapes.Problem(send.Shape, response.Content.Headers.ContentType, body),
                _ => "not a 2xx or 4xx",
            };
            return (status, problem is null ? null : $"{send.Path} {send.Body}: {status} {problem}: {Preview(body)}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (0, $"{send.Path} {send.Body}: no answer within {RequestTimeout.TotalSeconds} s");
        }
        catch (HttpRequestException exception)
        {
            return (0, $"{send.Path} {send.Body}: {exception.Message}");
        }
    }

    /// <summary>The provider's side: a valid answer to anything, in the format of the path it was sent to.</summary>
    private static Task AnswerValidlyAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(context.Request.Path.Value switch
        {
            "/v1/chat/completions" => """{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1}}""",
            "/v1/messages/count_tokens" => """{"input_tokens":5}""",
            _ => """{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}""",
        });
    }

    private static string Preview(byte[] body) => Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));

    private sealed record Send(string Path, ErrorShape Shape, FuzzCase Body);
}
