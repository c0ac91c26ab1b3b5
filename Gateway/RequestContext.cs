using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;

namespace Vdm.Gateway;

/// <summary>
/// What the gateway knows about one request as it moves through the pipeline: its id (sent back as
/// <c>x-vdm-request-id</c>), when it started, once routed the provider and model it went to, and what its answer
/// carried (<see cref="Metrics.ResponseUsage"/>). Logs, metrics, dumps and error bodies all read it, so they agree.
/// </summary>
internal sealed class RequestContext
{
    public const string HeaderName = "x-vdm-request-id";

    private RequestContext(string requestId, long startTimestamp, string method, string path)
    {
        RequestId = requestId;
        StartTimestamp = startTimestamp;
        Method = method;
        Path = path;
    }

    private Metrics.ResponseTally? _tally;

    public string RequestId { get; }

    public long StartTimestamp { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public string Method { get; }

    public string Path { get; }

    /// <summary>The model name the client asked for (an alias, or <c>provider:model</c>); null until the body is read.</summary>
    public string? RequestedModel { get; set; }

    /// <summary>The provider the request was routed to; null until routing (or when it never got that far).</summary>
    public string? Provider { get; set; }

    /// <summary>The upstream model name; null until routing.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The format of the model answer the client gets, for the requests that ask a model for one (Messages, Chat
    /// Completions); null for the rest. Set by those endpoints first thing, so that even their early errors count.
    /// </summary>
    public ApiFormat? AnswerFormat { get; set; }

    /// <summary>Reads the answer on its way to the client, in <see cref="AnswerFormat"/>.</summary>
    public Metrics.ResponseTally Tally => _tally ??= new(AnswerFormat ?? ApiFormat.Anthropic, Usage);

    /// <summary>Whether the client asked for a stream; known once the body is read.</summary>
    public bool Stream { get; set; }

    /// <summary>Tokens, tool calls, bytes and failure of the answer, as it went to the client.</summary>
    public Metrics.ResponseUsage Usage { get; } = new();

    /// <summary>True when vdm itself cut the connection to end a failed stream: an aborted request that no client left.</summary>
    public bool EndedByGateway { get; set; }

    /// <summary>The troubleshooting dump of this request, when <c>VDM_DUMP_DIR</c> is set; null otherwise.</summary>
    public Dumps.RequestDump? Dump { get; set; }

    /// <summary>Where this request's slot is in <see cref="Metrics.ActiveRequests"/>; -1 when it holds none.</summary>
    internal int ActiveSlot { get; set; } = -1;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    /// <summary>From the start of the request to its first token; null until one went out.</summary>
    public TimeSpan? TimeToFirstToken => Usage.FirstTokenTimestamp == 0 ? null : Stopwatch.GetElapsedTime(StartTimestamp, Usage.FirstTokenTimestamp);

    /// <summary>Starts the context for a new request: a time-ordered id, so that ids sort as requests arrived.</summary>
    public static RequestContext Begin(HttpContext context)
    {
        var request = new RequestContext(
            "req_" + Guid.CreateVersion7().ToString("N"), Stopwatch.GetTimestamp(), context.Request.Method, context.Request.Path.Value ?? "");
        context.Features.Set(request);
        return request;
    }

    public static RequestContext? Of(HttpContext context) => context.Features.Get<RequestContext>();
}
