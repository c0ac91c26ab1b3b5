using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;

namespace Vdm.Gateway;

/// <summary>
/// Writes errors toward clients in Anthropic's shape,
/// <c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c>, which Claude Code and the SDKs parse.
/// </summary>
internal static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, AnthropicErrorTypes.ForStatus(status), message);

    public static async Task WriteAsync(HttpContext context, int status, string errorType, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";

        var writer = new Utf8JsonWriter(response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "error"u8);
            writer.WriteStartObject("error"u8);
            writer.WriteString("type"u8, errorType);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            if (RequestContext.Of(context) is { } request)
            {
                writer.WriteString("request_id"u8, request.RequestId);
            }

            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
