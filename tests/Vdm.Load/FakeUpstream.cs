using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vdm.Load;

/// <summary>
/// A slow provider on loopback, in this process: every streaming request to <c>/v1/chat/completions</c> (OpenAI
/// format) or <c>/v1/messages</c> (Anthropic format) gets a <see cref="SlowStreams"/> answer. It counts the streams it
/// holds open, which is vdm's upstream side of the load.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    /// <summary>A model name that gets the same stream without pauses: the warm-up checks the whole path in a moment.</summary>
    public const string WarmUpModel = "load-warmup";

    private readonly WebApplication _app;
    private readonly int _chunks;
    private readonly TimeSpan _interval;

    private FakeUpstream(WebApplication app, int chunks, TimeSpan interval)
    {
        _app = app;
        _chunks = chunks;
        _interval = interval;
    }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The streams this provider is sending now, and the most it sent at once.</summary>
    public PeakCounter Streams { get; } = new();

    public static async Task<FakeUpstream> StartAsync(int chunks, TimeSpan interval)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var upstream = new FakeUpstream(app, chunks, interval);
        app.MapPost("/v1/chat/completions", context => upstream.AnswerAsync(context, UpstreamFormat.OpenAI));
        app.MapPost("/v1/messages", context => upstream.AnswerAsync(context, UpstreamFormat.Anthropic));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        upstream.Url = new Uri(address);
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context, UpstreamFormat format)
    {
        var (stream, model) = await ReadRequestAsync(context.Request);
        if (!stream)
        {
            // The load is streams only; a JSON request means vdm changed what it sends, which the run should say.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"error":{"message":"the load test's fake provider answers stream:true requests only","type":"invalid_request_error"}}""");
            return;
        }

        var interval = model == WarmUpModel ? TimeSpan.Zero : _interval;
        Streams.Increment();
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var body = context.Response.BodyWriter;
            var task = format == UpstreamFormat.OpenAI
                ? SlowStreams.WriteOpenAIAsync(body, _chunks, interval, context.RequestAborted)
                : SlowStreams.WriteAnthropicAsync(body, _chunks, interval, context.RequestAborted);
            await task;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // vdm hung up (its client left, or it stopped): nothing is left to write to.
        }
        finally
        {
            Streams.Decrement();
        }
    }

    private static async Task<(bool Stream, string? Model)> ReadRequestAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        var root = document.RootElement;
        var stream = root.TryGetProperty("stream", out var streamValue) && streamValue.ValueKind == JsonValueKind.True;
        var model = root.TryGetProperty("model", out var modelValue) && modelValue.ValueKind == JsonValueKind.String ? modelValue.GetString() : null;
        return (stream, model);
    }
}
