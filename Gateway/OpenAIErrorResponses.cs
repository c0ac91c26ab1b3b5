using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;

namespace Vdm.Gateway;

/// <summary>The <c>error.type</c> values vdm sends OpenAI-format clients, and the one a given HTTP status carries.</summary>
internal static class OpenAIErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RateLimit = "rate_limit_error";
    public const string InsufficientQuota = "insufficient_quota";
    public const string Api = "api_error";
    public const string Timeout = "timeout_error";

    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        402 => InsufficientQuota,
        403 => Permission,
        404 => NotFound,
        429 => RateLimit,
        504 => Timeout,
        >= 400 and < 500 => InvalidRequest,
        _ => Api,
    };

    /// <summary>
    /// The OpenAI type for one of <see cref="AnthropicErrorTypes"/>, which the shared pipeline pieces
    /// (<c>UpstreamCall</c>, <c>UpstreamErrorMapper</c>) speak: most names are the same in both APIs.
    /// </summary>
    public static string FromAnthropic(string anthropicType, int status) => anthropicType switch
    {
        AnthropicErrorTypes.InvalidRequest or AnthropicErrorTypes.RequestTooLarge => InvalidRequest,
        AnthropicErrorTypes.Authentication => Authentication,
        AnthropicErrorTypes.Billing => InsufficientQuota,
        AnthropicErrorTypes.Permission => Permission,
        AnthropicErrorTypes.NotFound => NotFound,
        AnthropicErrorTypes.RateLimit => RateLimit,
        AnthropicErrorTypes.Timeout => Timeout,
        AnthropicErrorTypes.Api or AnthropicErrorTypes.Overloaded => Api,
        _ => ForStatus(status),
    };
}

/// <summary>
/// Writes errors toward OpenAI-format clients (<c>/v1/chat/completions</c>) in OpenAI's shape,
/// <c>{"error":{"message":…,"type":…,"code":…,"param":null}}</c>, which the OpenAI SDKs parse; the request id goes in
/// the <c>x-vdm-request-id</c> header, not the body.
/// </summary>
internal static class OpenAIErrorResponses
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, int status, string message, string? code = null) =>
        WriteAsync(context, status, OpenAIErrorTypes.ForStatus(status), message, code);

    public static async Task WriteAsync(HttpContext context, int status, string errorType, string message, string? code)
    {
        ArgumentNullException.ThrowIfNull(context);
        RequestContext.Of(context)?.Usage.ErrorType ??= errorType;
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";

        WriteBody(response.BodyWriter, errorType, message, code);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes <c>{"error":{"message":…,"type":…,"code":…,"param":null}}</c>, also the payload of an in-stream error.</summary>
    public static void WriteBody(IBufferWriter<byte> output, string errorType, string message, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, message);
        writer.WriteString("type"u8, errorType);
        if (code is null)
        {
            writer.WriteNull("code"u8);
        }
        else
        {
            writer.WriteString("code"u8, code);
        }

        writer.WriteNull("param"u8);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
