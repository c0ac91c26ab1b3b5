using System.Text;
using Microsoft.AspNetCore.Http;

namespace Vdm.EndToEnd;

/// <summary>The published binary serving on a free port for one test, stopped (killed) when the test is over.</summary>
internal sealed class GatewayUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private GatewayUnderTest(VdmProcess process, Uri url)
    {
        Process = process;
        Url = url;
    }

    public VdmProcess Process { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Url { get; }

    /// <summary><c>http://127.0.0.1:{port}</c>, the Anthropic SDK's base URL.</summary>
    public string Root => Url.GetLeftPart(UriPartial.Authority);

    public static async Task<GatewayUnderTest> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var process = VdmProcess.Start(["server", "start", "--port", "0"], environment);
        try
        {
            return new GatewayUnderTest(process, await process.WaitUntilListeningAsync(StartTimeout));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}

/// <summary>Upstream behaviours the SDK tests script on top of <see cref="FakeProvider"/>'s canned answers.</summary>
internal static class FakeProviderScripts
{
    /// <summary>
    /// Queues an event stream that sends <paramref name="pieces"/> and, once <paramref name="drop"/> completes, drops the
    /// connection without ending the response. The test completes <paramref name="drop"/> when its client has seen the
    /// pieces: a reset sent at once could overtake them and discard them unread in vdm's receive buffer.
    /// </summary>
    public static FakeProvider ThenStreamThenDrop(this FakeProvider provider, Task drop, params string[] pieces) =>
        provider.Then(async context =>
        {
            await WriteStreamAsync(context, pieces);
            await drop.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
            context.Abort();
        });

    /// <summary>
    /// Queues an event stream that sends <paramref name="pieces"/>, then goes silent until vdm gives up on it;
    /// <paramref name="abandoned"/> completes when vdm has closed the request.
    /// </summary>
    public static FakeProvider ThenStreamThenStall(this FakeProvider provider, TaskCompletionSource abandoned, params string[] pieces) =>
        provider.Then(async context =>
        {
            await WriteStreamAsync(context, pieces);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => abandoned.TrySetResult(), TaskScheduler.Default);
        });

    private static async Task WriteStreamAsync(HttpContext context, string[] pieces)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        foreach (var piece in pieces)
        {
            await context.Response.WriteAsync(piece);
            await context.Response.Body.FlushAsync();
        }
    }
}

/// <summary>The wire text of the streams the fake providers send.</summary>
internal static class StreamText
{
    /// <summary>One OpenAI <c>chat.completion.chunk</c> event for choice 0; <paramref name="finishReason"/> is raw JSON.</summary>
    public static string Chunk(string delta, string? finishReason = null) =>
        $$"""data: {"id":"chatcmpl-e2e","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finishReason ?? "null"}}}]}""" + "\n\n";

    /// <summary>The usage chunk an OpenAI stream ends with when asked for <c>include_usage</c>.</summary>
    public static string UsageChunk(int prompt, int completion) =>
        $$$"""data: {"id":"chatcmpl-e2e","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}}}}""" + "\n\n";

    public const string Done = "data: [DONE]\n\n";

    /// <summary>One Anthropic event, with its <c>event:</c> line.</summary>
    public static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";
}

/// <summary>
/// Sits between an SDK and vdm: records each request body and header as the SDK sent it, and can add a header or
/// rewrite the body first (to send what the SDK's typed models cannot express).
/// </summary>
internal sealed class SdkRequestRecorder(Func<string, string>? rewriteBody = null, (string Name, string Value)? addHeader = null)
    : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<(string Body, IReadOnlyDictionary<string, string> Headers)> _requests = [];

    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests.Select(r => r.Body)];
            }
        }
    }

    public string? Header(int request, string name)
    {
        lock (_requests)
        {
            return _requests[request].Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (rewriteBody is not null && request.Content is not null)
        {
            body = rewriteBody(body);
            var contentType = request.Content.Headers.ContentType;
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType;
        }

        if (addHeader is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        lock (_requests)
        {
            _requests.Add((body, headers));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The providers the SDK tests put behind vdm: their keys, their configuration, a plain answer.</summary>
internal static class TestProviders
{
    public const string ClientKey = "sk-client-own-key";
    public const string OpenAIKey = "sk-openai-static";
    public const string AnthropicKey = "sk-ant-static";

    // vdm's own retries are off unless a test is about them, so each upstream answer queued reaches the client as it is.
    public static Dictionary<string, string> OpenAIEnvironment(FakeProvider provider) => new()
    {
        ["OPENAI_API_KEY"] = OpenAIKey,
        ["OPENAI_BASE_URL"] = provider.BaseUrl("/v1"),
        ["MAX_RETRIES"] = "0",
    };

    public static Dictionary<string, string> AnthropicEnvironment(FakeProvider provider) => new()
    {
        ["ANTHROPIC_API_KEY"] = AnthropicKey,
        ["ANTHROPIC_BASE_URL"] = provider.BaseUrl(),
        ["MAX_RETRIES"] = "0",
    };

    /// <summary>A whole chat completion answering <paramref name="text"/>.</summary>
    public static string TextCompletion(string text) => $$$"""
        {"id":"chatcmpl-x","object":"chat.completion","created":1700000000,"model":"m",
         "choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
        """;
}
