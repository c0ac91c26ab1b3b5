using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vdm.Conversion;

namespace Vdm.Gateway;

/// <summary>
/// Guarantees that every failure reaches the client as an Anthropic-shaped error: an exception becomes a 500
/// <c>api_error</c> (logged, never a crash or an HTML page), and a bare error status (404 for an unknown route,
/// 405 for a wrong method) gets a body that says what was wrong.
/// </summary>
internal sealed partial class ErrorShapingMiddleware(RequestDelegate next, ILogger<ErrorShapingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            // Kestrel's own verdicts on the request (a body over the size limit is a 413), not vdm failures.
            ClearKeepingRequestId(context);
            var message = exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body is larger than the gateway accepts."
                : $"The request could not be read: {exception.Message}";
            await ErrorResponses.WriteAsync(context, exception.StatusCode, message).ConfigureAwait(false);
            return;
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(logger, exception, RequestContext.Of(context)?.RequestId);
            if (context.Response.HasStarted)
            {
                throw;
            }

            ClearKeepingRequestId(context);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, AnthropicErrorTypes.Api,
                "vdm failed to handle the request; the server log has the details").ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null)
        {
            var message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"Not found: {context.Request.Method} {context.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"Method {context.Request.Method} is not allowed on {context.Request.Path}",
                _ => $"The request failed with status {response.StatusCode}",
            };
            await ErrorResponses.WriteAsync(context, response.StatusCode, message).ConfigureAwait(false);
        }
    }

    /// <summary>Clears a half-made response but keeps its <c>x-vdm-request-id</c>, which errors need most.</summary>
    private static void ClearKeepingRequestId(HttpContext context)
    {
        context.Response.Clear();
        if (RequestContext.Of(context) is { } request)
        {
            context.Response.Headers[RequestContext.HeaderName] = request.RequestId;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error in request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string? requestId);
}
