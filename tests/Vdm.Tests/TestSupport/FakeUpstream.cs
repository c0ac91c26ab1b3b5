using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vdm.Gateway;

namespace Vdm.Tests.TestSupport;

/// <summary>One request the fake upstream received.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// A provider on loopback (real Kestrel, real HTTP), answering each request with the test's handler and recording
/// what it received, so tests assert on both sides of the gateway.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeUpstream(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public Func<HttpContext, Task> Handler { get; set; } = context =>
    {
        context.Response.StatusCode = 500;
        return Task.CompletedTask;
    };

    /// <summary>The base URL to configure, such as <c>http://127.0.0.1:1234/v1</c>.</summary>
    public string BaseUrl(string path = "") => Url.GetLeftPart(UriPartial.Authority) + path;

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeUpstream? self = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            self!.Received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray()));
            await self.Handler(context);
        });
        await app.StartAsync();
        self = new FakeUpstream(app, GatewayHost.ListenUrl(app));
        return self;
    }

    /// <summary>Answers the first request with the first handler, the second with the second, and so on; the last one answers the rest.</summary>
    public void RespondInTurn(params Func<HttpContext, Task>[] handlers)
    {
        var count = -1;
        Handler = context => handlers[Math.Min(Interlocked.Increment(ref count), handlers.Length - 1)](context);
    }

    /// <summary>Answers with <paramref name="json"/> and <paramref name="status"/>.</summary>
    public void RespondJson(string json, int status = 200, string? retryAfter = null) => Handler = async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync(json);
    };

    /// <summary>Answers with an event stream, flushing after each piece.</summary>
    public void RespondStream(params string[] pieces) => Handler = async context =>
    {
        context.Response.ContentType = "text/event-stream";
        foreach (var piece in pieces)
        {
            await context.Response.WriteAsync(piece);
            await context.Response.Body.FlushAsync();
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
