using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vdm.Gateway;

/// <summary>
/// First in the pipeline: gives each request its <see cref="RequestContext"/> and <c>x-vdm-request-id</c> header, and
/// reports it to <see cref="GatewayMetrics"/> when it completes, however it completes.
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next, GatewayMetrics metrics)
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
            metrics.RequestCompleted(request, route, context.Response.StatusCode);
        }
    }
}
