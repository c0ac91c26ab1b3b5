using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;

namespace Vdm.Gateway;

/// <summary>
/// Writes errors toward clients in Anthropic's shape,
/// <c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c>, which Claude Code and the SDKs parse —
/// or, on the OpenAI-format endpoint, in OpenAI's shape, whichever part of the pipeline the error comes from.
/// </summary>
internal static class ErrorResponses
{
    public const string OpenAIPath = "/v1/chat/completions";

    public static Task WriteAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, AnthropicErrorTypes.ForStatus(status), message);

    public static async Task WriteAsync(HttpContext context, int status, string errorType, string message)
    {
        RequestContext.Of(context)?.Usage.ErrorType ??= errorType;
        if (context.Request.Path.StartsWithSegments(OpenAIPath, StringComparison.OrdinalIgnoreCase))
        {
            // OpenAI has no error type for a body over the size limit; its code says what the type cannot.
            var code = errorType == AnthropicErrorTypes.RequestTooLarge ? errorType : null;
            await OpenAIErrorResponses.WriteAsync(context, status, OpenAIErrorTypes.FromAnthropic(errorType, status), message, code)
                .ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";

        AnthropicErrorBody.Write(response.BodyWriter, errorType, message, RequestContext.Of(context)?.RequestId);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
