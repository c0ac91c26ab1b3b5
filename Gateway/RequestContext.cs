using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Vdm.Gateway;

/// <summary>
/// What the gateway knows about one request as it moves through the pipeline: its id (sent back as
/// <c>x-vdm-request-id</c>), when it started, and, once routed, the provider and model it went to. Logs, metrics and
/// error bodies all read it, so they agree.
/// </summary>
internal sealed class RequestContext
{
    public const string HeaderName = "x-vdm-request-id";

    private RequestContext(string requestId, long startTimestamp)
    {
        RequestId = requestId;
        StartTimestamp = startTimestamp;
    }

    public string RequestId { get; }

    public long StartTimestamp { get; }

    /// <summary>The model name the client asked for (an alias, or <c>provider:model</c>); null until the body is read.</summary>
    public string? RequestedModel { get; set; }

    /// <summary>The provider the request was routed to; null until routing (or when it never got that far).</summary>
    public string? Provider { get; set; }

    /// <summary>The upstream model name; null until routing.</summary>
    public string? Model { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    /// <summary>Starts the context for a new request: a time-ordered id, so that ids sort as requests arrived.</summary>
    public static RequestContext Begin(HttpContext context)
    {
        var request = new RequestContext("req_" + Guid.CreateVersion7().ToString("N"), Stopwatch.GetTimestamp());
        context.Features.Set(request);
        return request;
    }

    public static RequestContext? Of(HttpContext context) => context.Features.Get<RequestContext>();
}
