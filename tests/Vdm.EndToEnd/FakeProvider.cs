using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vdm.EndToEnd;

/// <summary>One request the fake provider received.</summary>
internal sealed record ProviderRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// A provider on loopback (real Kestrel, real HTTP) that records every request and answers each with the next canned
/// response the test queued, so a test asserts on what reached the provider and on what the client made of the answer.
/// </summary>
internal sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();

    private FakeProvider(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<ProviderRequest> Received { get; } = new();

    /// <summary><c>http://127.0.0.1:{port}</c>, plus <paramref name="path"/> (such as <c>/v1</c> for OpenAI-format providers).</summary>
    public string BaseUrl(string path = "") => $"http://127.0.0.1:{Port}{path}";

    public static async Task<FakeProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeProvider? self = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            self!.Received.Enqueue(new ProviderRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray()));
            if (self._answers.TryDequeue(out var answer))
            {
                await answer(context);
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":{"message":"the fake provider has no answer queued","type":"server_error"}}""");
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self = new FakeProvider(app, new Uri(address).Port);
        return self;
    }

    /// <summary>Queues an answer written by <paramref name="answer"/> itself, for behaviour the other methods do not script.</summary>
    public FakeProvider Then(Func<HttpContext, Task> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    /// <summary>Queues a JSON answer with <paramref name="status"/>.</summary>
    public FakeProvider ThenJson(string json, int status = StatusCodes.Status200OK, string? retryAfter = null)
    {
        _answers.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await context.Response.WriteAsync(json);
        });
        return this;
    }

    /// <summary>Queues an event-stream answer, written and flushed piece by piece.</summary>
    public FakeProvider ThenStream(params string[] pieces)
    {
        _answers.Enqueue(context => ThenStreamAnswer(context, pieces));
        return this;
    }

    /// <summary>Queues an event-stream answer that sends <paramref name="pieces"/> and then goes silent until the request is aborted.</summary>
    public FakeProvider ThenStall(params string[] pieces)
    {
        _answers.Enqueue(async context =>
        {
            await ThenStreamAnswer(context, pieces);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        return this;
    }

    private static async Task ThenStreamAnswer(HttpContext context, string[] pieces)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        foreach (var piece in pieces)
        {
            await context.Response.WriteAsync(piece);
            await context.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
