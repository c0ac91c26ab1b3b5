using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway;

/// <summary>
/// First in the pipeline: gives each request its <see cref="RequestContext"/> and <c>x-vdm-request-id</c> header, and
/// when it completes, however it completes, reports it to <see cref="GatewayMetrics"/> and logs one line: id, method
/// and path, the model asked for and where it went, status and duration, and for model requests whether it streamed,
/// the time to first token, tokens, tool calls and bytes (never a key or a body).
/// </summary>
internal sealed partial class RequestTrackingMiddleware(
    RequestDelegate next, GatewayMetrics metrics, ShutdownGrace shutdown, ILogger<RequestTrackingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = RequestContext.Begin(context);
        context.Response.Headers[RequestContext.HeaderName] = request.RequestId;

        // Model requests are all POSTs under /v1/; they are the ones /metrics/active-requests lists.
        metrics.RequestStarted(request, HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal));
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // The route pattern, not the path, so that arbitrary 404 paths cannot blow up the label count.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            // 499 is nginx's "client closed request": the client left, and its upstream call was cancelled with it. A
            // connection the server closes at the end of its shutdown is aborted too, but that is no client's doing.
            var aborted = context.RequestAborted.IsCancellationRequested && !request.EndedByGateway;
            var byShutdown = aborted && shutdown.Over.IsCancellationRequested;
            var cancelled = aborted && !byShutdown;
            var status = cancelled ? 499 : byShutdown ? StatusCodes.Status503ServiceUnavailable : context.Response.StatusCode;
            metrics.RequestCompleted(request, route, status, cancelled);
            if (logger.IsEnabled(LogLevel.Information))
            {
                Log(context, request, status, cancelled ? " (cancelled by the client)" : byShutdown ? " (ended by the shutdown)" : "");
            }
        }
    }

    private void Log(HttpContext context, RequestContext request, int status, string outcome)
    {
        var target = request.Provider is null ? "-" : $"{request.Provider}:{request.Model}";
        var path = context.Request.Path.Value ?? "";
        var duration = (long)request.Elapsed.TotalMilliseconds;
        if (request.AnswerFormat is null)
        {
            LogCompleted(logger, request.RequestId, context.Request.Method, path, request.RequestedModel ?? "-", target, status, duration, outcome);
            return;
        }

        var usage = request.Usage;
        var ttft = request.TimeToFirstToken is { } first ? ((long)first.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms" : "-";
        LogModelCompleted(logger, request.RequestId, context.Request.Method, path, request.RequestedModel ?? "-", target, status, duration, outcome,
            request.Stream ? "stream" : "json", ttft, usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens,
            usage.ToolUses, usage.RequestBytes, usage.ResponseBytes);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "{RequestId} {Method} {Path} {RequestedModel} -> {Target} {Status} {DurationMs} ms{Outcome}")]
    private static partial void LogCompleted(
        ILogger logger, string requestId, string method, string path, string requestedModel, string target, int status, long durationMs, string outcome);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information,
        Message = "{RequestId} {Method} {Path} {RequestedModel} -> {Target} {Status} {DurationMs} ms{Outcome} | {Mode} ttft={Ttft} " +
            "tokens={InputTokens}/{OutputTokens} cache={CacheReadTokens}/{CacheWriteTokens} tools={ToolUses} bytes={RequestBytes}/{ResponseBytes}")]
    private static partial void LogModelCompleted(
        ILogger logger, string requestId, string method, string path, string requestedModel, string target, int status, long durationMs, string outcome,
        string mode, string ttft, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, int toolUses, long requestBytes,
        long responseBytes);
}
