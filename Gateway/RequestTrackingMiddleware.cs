using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway;

/// <summary>
/// First in the pipeline: gives each request its <see cref="RequestContext"/> and <c>x-vdm-request-id</c> header, and
/// when it completes, however it completes, reports it to <see cref="GatewayMetrics"/> and logs one line: id, method
/// and path, the model asked for and where it went, status and duration (never a key or a body).
/// </summary>
internal sealed partial class RequestTrackingMiddleware(
    RequestDelegate next, GatewayMetrics metrics, ShutdownGrace shutdown, ILogger<RequestTrackingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = RequestContext.Begin(context);
        context.Response.Headers[RequestContext.HeaderName] = request.RequestId;
        metrics.RequestStarted();
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
            var aborted = context.RequestAborted.IsCancellationRequested;
            var byShutdown = aborted && shutdown.Over.IsCancellationRequested;
            var cancelled = aborted && !byShutdown;
            var status = cancelled ? 499 : byShutdown ? StatusCodes.Status503ServiceUnavailable : context.Response.StatusCode;
            metrics.RequestCompleted(request, route, status, cancelled);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var target = request.Provider is null ? "-" : $"{request.Provider}:{request.Model}";
                LogCompleted(logger, request.RequestId, context.Request.Method, context.Request.Path.Value ?? "", request.RequestedModel ?? "-",
                    target, status, (long)request.Elapsed.TotalMilliseconds, cancelled ? " (cancelled by the client)" : byShutdown ? " (ended by the shutdown)" : "");
            }
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information,
        Message = "{RequestId} {Method} {Path} {RequestedModel} -> {Target} {Status} {DurationMs} ms{Outcome}")]
    private static partial void LogCompleted(
        ILogger logger, string requestId, string method, string path, string requestedModel, string target, int status, long durationMs, string outcome);
}
