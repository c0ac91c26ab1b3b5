using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vdm.EndToEnd;

/// <summary>What a <see cref="ScriptedOpenAIProvider"/> answers one chat completion request with.</summary>
internal abstract record ScriptedAnswer
{
    /// <summary>An assistant message with <paramref name="Content"/>, finish reason <c>stop</c>.</summary>
    public sealed record Text(string Content) : ScriptedAnswer;

    /// <summary>One call of <paramref name="Name"/>, finish reason <c>tool_calls</c>.</summary>
    public sealed record ToolCall(string Id, string Name, string Arguments) : ScriptedAnswer;
}

/// <summary>
/// An OpenAI-format provider on loopback (real Kestrel, real HTTP) whose answers a script chooses from each request,
/// for clients such as Claude Code that decide for themselves how many requests to make and in what order. Every
/// request is recorded; a chat completion gets the script's answer as a stream or as one JSON body, as it asked.
/// </summary>
internal sealed class ScriptedOpenAIProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedOpenAIProvider(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<ProviderRequest> Received { get; } = new();

    /// <summary><c>http://127.0.0.1:{port}/v1</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public static async Task<ScriptedOpenAIProvider> StartAsync(Func<JsonElement, ScriptedAnswer> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var self = new ScriptedOpenAIProvider(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var request = new ProviderRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray());
            self.Received.Enqueue(request);
            if (!HttpMethods.IsPost(request.Method) || request.Path != "/v1/chat/completions")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "application/json";
                var error = new JsonObject { ["message"] = $"no route for {request.Method} {request.Path}", ["type"] = "invalid_request_error" };
                await context.Response.WriteAsync(new JsonObject { ["error"] = error }.ToJsonString());
                return;
            }

            var json = request.Json;
            var answer = script(json);
            var model = json.GetProperty("model").GetString() ?? "";
            if (json.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True)
            {
                await StreamAsync(context, answer, model);
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(Completion(answer, model).ToJsonString());
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self.Port = new Uri(address).Port;
        return self;
    }

    /// <summary>
    /// The answer as chunks, flushed one by one: the role, then the text or the call (its arguments in two fragments),
    /// the finish reason, a usage chunk and <c>[DONE]</c>.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, ScriptedAnswer answer, string model)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        JsonObject[] deltas = answer switch
        {
            ScriptedAnswer.Text text =>
            [
                new() { ["role"] = "assistant", ["content"] = "" },
                new() { ["content"] = text.Content },
            ],
            ScriptedAnswer.ToolCall call =>
            [
                new() { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(Call(call, arguments: "", index: 0)) },
                new() { ["tool_calls"] = new JsonArray(ArgumentsFragment(call.Arguments[..(call.Arguments.Length / 2)])) },
                new() { ["tool_calls"] = new JsonArray(ArgumentsFragment(call.Arguments[(call.Arguments.Length / 2)..])) },
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(answer)),
        };
        foreach (var delta in deltas)
        {
            await WriteEventAsync(context, Chunk(model, new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null })));
        }

        await WriteEventAsync(context, Chunk(model, new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = FinishReason(answer) })));
        await WriteEventAsync(context, Chunk(model, [], Usage()));
        await WriteEventAsync(context, "[DONE]");
    }

    private static string Chunk(string model, JsonArray choices, JsonObject? usage = null)
    {
        var chunk = new JsonObject { ["id"] = "chatcmpl-scripted", ["object"] = "chat.completion.chunk", ["created"] = 1700000000, ["model"] = model, ["choices"] = choices };
        if (usage is not null)
        {
            chunk["usage"] = usage;
        }

        return chunk.ToJsonString();
    }

    private static async Task WriteEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static JsonObject Completion(ScriptedAnswer answer, string model)
    {
        var message = answer switch
        {
            ScriptedAnswer.Text text => new JsonObject { ["role"] = "assistant", ["content"] = text.Content },
            ScriptedAnswer.ToolCall call => new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(Call(call, call.Arguments, index: null)) },
            _ => throw new ArgumentOutOfRangeException(nameof(answer)),
        };
        return new JsonObject
        {
            ["id"] = "chatcmpl-scripted",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = FinishReason(answer) }),
            ["usage"] = Usage(),
        };
    }

    private static JsonObject Call(ScriptedAnswer.ToolCall call, string arguments, int? index)
    {
        var json = new JsonObject { ["id"] = call.Id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = arguments } };
        if (index is { } i)
        {
            json["index"] = i;
        }

        return json;
    }

    private static JsonObject ArgumentsFragment(string arguments) =>
        new() { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = arguments } };

    private static JsonObject Usage() => new() { ["prompt_tokens"] = 100, ["completion_tokens"] = 10, ["total_tokens"] = 110 };

    private static string FinishReason(ScriptedAnswer answer) => answer is ScriptedAnswer.ToolCall ? "tool_calls" : "stop";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
