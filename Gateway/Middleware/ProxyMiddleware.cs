using System.Buffers;

namespace Vdm.Gateway.Middleware;

/// <summary>The request a middleware is asked to take part in.</summary>
/// <param name="RequestId">The request's <c>x-vdm-request-id</c>, for logs.</param>
/// <param name="Provider">The provider it goes to.</param>
/// <param name="Model">The provider's own model name.</param>
/// <param name="RequestedModel">What the client asked for (an alias or <c>provider:model</c>).</param>
/// <param name="Stream">Whether the answer is streamed.</param>
internal sealed record MiddlewareRequest(string RequestId, string Provider, string Model, string RequestedModel, bool Stream);

/// <summary>How a request ended, for <see cref="MiddlewareRun.Completed"/>.</summary>
/// <param name="Status">The HTTP status the client got (200 even for a stream that later failed).</param>
/// <param name="ErrorType">The error type the client was told, in an HTTP error or a stream's error event; null when all went well.</param>
internal sealed record MiddlewareOutcome(int Status, string? ErrorType);

/// <summary>
/// A compiled-in middleware: one instance for the life of the process (so what it keeps, it keeps across a
/// <c>--reload</c>), asked to <see cref="Begin"/> each request it is configured for. It works on the provider's own
/// format (OpenAI Chat Completions), after vdm converted the client's request and before vdm translates the answer
/// back, which is where provider extensions live. Anthropic-format providers get no middleware: their bodies are
/// relayed byte for byte.
/// </summary>
internal abstract class ProxyMiddleware
{
    /// <summary>The name configuration uses (<c>{NAME}_MIDDLEWARE=...</c>).</summary>
    public abstract string Name { get; }

    /// <summary>This middleware's part in one request, or null to stay out of it (it then costs the request nothing).</summary>
    public abstract MiddlewareRun? Begin(MiddlewareRequest request);
}

/// <summary>
/// One middleware's part in one request, with whatever state it needs for it. Each hook may leave its input as it is
/// (return false, write nothing) or write a replacement (return true).
/// </summary>
internal abstract class MiddlewareRun
{
    /// <summary>Whether <see cref="RewriteResponse"/> is used: when no run uses it, answers are translated without a copy per piece.</summary>
    public virtual bool RewritesResponses => true;

    /// <summary>Before the upstream request: the converted request body.</summary>
    public virtual bool RewriteRequest(ReadOnlySpan<byte> request, IBufferWriter<byte> rewritten) => false;

    /// <summary>On each piece of the answer before it is translated: the whole JSON body, or one stream event's data.</summary>
    public virtual bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten) => false;

    /// <summary>After the answer has gone to the client (or failed to).</summary>
    public virtual void Completed(MiddlewareOutcome outcome)
    {
    }
}
