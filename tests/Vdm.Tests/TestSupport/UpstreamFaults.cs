using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Vdm.Tests.TestSupport;

/// <summary>
/// The ways a provider misbehaves, as <see cref="FakeUpstream"/> handlers: error statuses with retry hints, bodies that
/// are not what they claim, streams that stall or break, and answers that never come.
/// </summary>
internal static class UpstreamFaults
{
    public const string OpenAIAnswer = """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}""";

    public const string AnthropicAnswer = """{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hi from Anthropic"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":4}}""";

    /// <summary>The first events of a translated OpenAI stream: a role chunk and one text chunk.</summary>
    public static readonly string[] OpenAIStreamStart =
    [
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
    ];

    /// <summary>The rest of that stream: the last text, the finish, usage and [DONE].</summary>
    public static readonly string[] OpenAIStreamEnd =
    [
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n",
    ];

    public static Func<HttpContext, Task> Json(string json, int status = 200, params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(json);
    };

    public static Func<HttpContext, Task> Status(int status, params (string Name, string Value)[] headers) =>
        Json($$$"""{"error":{"message":"upstream said {{{status}}}","type":"server_error"}}""", status, headers);

    public static Func<HttpContext, Task> Html(int status, string html) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(html);
    };

    /// <summary>An event stream, flushed piece by piece (or more of one already begun).</summary>
    public static Func<HttpContext, Task> Stream(params string[] pieces) => async context =>
    {
        if (!context.Response.HasStarted)
        {
            context.Response.ContentType = "text/event-stream";
        }

        foreach (var piece in pieces)
        {
            await context.Response.WriteAsync(piece);
            await context.Response.Body.FlushAsync();
        }
    };

    /// <summary>Sends <paramref name="pieces"/>, then goes silent until <paramref name="release"/> completes (or the request is aborted).</summary>
    public static Func<HttpContext, Task> StallAfter(Task release, params string[] pieces) => async context =>
    {
        await Stream(pieces)(context);
        await Task.WhenAny(release, Task.Delay(Timeout.Infinite, context.RequestAborted));
    };

    /// <summary>
    /// Sends <paramref name="pieces"/>, then resets the connection once <paramref name="release"/> completes (a reset
    /// discards bytes not yet read, so the test lets it happen after the gateway has relayed them).
    /// </summary>
    public static Func<HttpContext, Task> ResetAfter(Task release, params string[] pieces) => async context =>
    {
        await Stream(pieces)(context);
        await release;
        context.Abort();
    };

    /// <summary>Waits for <paramref name="release"/> before sending any header.</summary>
    public static Func<HttpContext, Task> HeadersAfter(Task release, Func<HttpContext, Task> then) => async context =>
    {
        await Task.WhenAny(release, Task.Delay(Timeout.Infinite, context.RequestAborted));
        if (!context.RequestAborted.IsCancellationRequested)
        {
            await then(context);
        }
    };

    /// <summary>Wraps <paramref name="handler"/> to record when the gateway aborted the request (a <see cref="Stopwatch"/> timestamp).</summary>
    public static Func<HttpContext, Task> NotingAbort(TaskCompletionSource<long> aborted, Func<HttpContext, Task> handler) => async context =>
    {
        using var registration = context.RequestAborted.Register(() => aborted.TrySetResult(Stopwatch.GetTimestamp()));
        try
        {
            await handler(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // Writing to a connection the gateway closed.
        }
    };
}
