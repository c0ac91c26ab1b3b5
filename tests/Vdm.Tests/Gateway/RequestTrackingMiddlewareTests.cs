using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vdm.Gateway;

namespace Vdm.Tests.Gateway;

public class RequestTrackingMiddlewareTests
{
    [Test]
    public async Task InvokeAsync_CompletedRequest_LogsOneLineWithIdRouteAndStatusButNoKey()
    {
        var logger = new CapturingLogger();
        await using var run = new Tracking();
        var middleware = new RequestTrackingMiddleware(context =>
        {
            var request = RequestContext.Of(context)!;
            request.RequestedModel = "sonnet";
            request.Provider = "openai";
            request.Model = "gpt-4o";
            context.Response.StatusCode = 201;
            return Task.CompletedTask;
        }, run.Metrics, run.Shutdown, logger);
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/v1/messages";
        http.Request.Headers["x-api-key"] = "sk-must-not-appear";

        await middleware.InvokeAsync(http);
        var line = logger.Lines.Single();

        await Assert.That(line).StartsWith(RequestContext.Of(http)!.RequestId + " POST /v1/messages sonnet -> openai:gpt-4o 201 ");
        await Assert.That(line).EndsWith(" ms");
        await Assert.That(line).DoesNotContain("sk-must-not-appear");
    }

    [Test]
    public async Task InvokeAsync_ModelRequest_LogsStreamingFirstTokenTokensToolsAndBytes()
    {
        var logger = new CapturingLogger();
        await using var run = new Tracking();
        var middleware = new RequestTrackingMiddleware(context =>
        {
            var request = RequestContext.Of(context)!;
            request.AnswerFormat = Vdm.Conversion.ApiFormat.Anthropic;
            (request.RequestedModel, request.Provider, request.Model, request.Stream) = ("fast", "openai", "gpt-4o", true);
            request.Tally.ObserveStream(System.Text.Encoding.UTF8.GetBytes(
                "event: message_start\ndata: {\"message\":{\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":4}}}\n\n" +
                "event: content_block_delta\ndata: {}\n\n" +
                "event: content_block_start\ndata: {\"content_block\":{\"type\":\"tool_use\"}}\n\n" +
                "event: message_delta\ndata: {\"usage\":{\"output_tokens\":30}}\n\n"));
            request.Usage.RequestBytes = 321;
            return Task.CompletedTask;
        }, run.Metrics, run.Shutdown, logger);
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/v1/messages";

        await middleware.InvokeAsync(http);
        var line = logger.Lines.Single();

        await Assert.That(line).StartsWith(RequestContext.Of(http)!.RequestId + " POST /v1/messages fast -> openai:gpt-4o 200 ");
        await Assert.That(line).Matches(@" ms \| stream ttft=\d+ms tokens=12/30 cache=4/0 tools=1 bytes=321/\d+$");
    }

    /// <summary>The middleware's collaborators, as the host would give them.</summary>
    private sealed class Tracking : IAsyncDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public Tracking()
        {
            Metrics = new GatewayMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System, 10);
            Shutdown = new ShutdownGrace(new Microsoft.Extensions.Hosting.Internal.ApplicationLifetime(
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>.Instance),
                TestSupport.TestVariables.Settings(), TimeProvider.System);
        }

        public GatewayMetrics Metrics { get; }

        public ShutdownGrace Shutdown { get; }

        public async ValueTask DisposeAsync()
        {
            Shutdown.Dispose();
            Metrics.Dispose();
            await _services.DisposeAsync();
        }
    }

    private sealed class CapturingLogger : ILogger<RequestTrackingMiddleware>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
