using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Conversion.Response;
using Vdm.Conversion.Streaming;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Metrics;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Step 5 of the pipeline: the provider's answer in the client's format — a JSON message, a stream relayed or
/// translated event by event with a flush each, or an Anthropic-shaped error with the provider's status.
/// </summary>
internal static class ResponseRelay
{
    private const int MaxErrorBodyBytes = 1024 * 1024;

    public static async Task WriteAsync(HttpContext context, UpstreamResult result, IFormatAdapter adapter, ConversionContext conversion, bool stream)
    {
        if (result.Response is not { } response)
        {
            await ErrorResponses.WriteAsync(context, result.FailureStatus, result.FailureType!, result.FailureMessage!).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            CopyHeaders(response, context.Response);
            if (!response.IsSuccessStatusCode)
            {
                await WriteUpstreamErrorAsync(context, response, adapter, conversion.Provider, result.Exhausted).ConfigureAwait(false);
                return;
            }

            var isEventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            if (stream && isEventStream)
            {
                await RelayStreamAsync(context, response, adapter, conversion).ConfigureAwait(false);
                return;
            }

            // A whole answer is buffered to be converted; past the limit, something other than an answer is coming.
            var maxBodyBytes = context.RequestServices.GetRequiredService<GatewayState>().Settings.MaxResponseBytes;
            PooledBufferWriter upstreamBody;
            try
            {
                upstreamBody = await UpstreamBody.ReadAsync(response, maxBodyBytes, context, conversion.Provider).ConfigureAwait(false);
            }
            catch (UpstreamReadStopped stopped)
            {
                await ErrorResponses.WriteAsync(context, stopped.IsTimeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable,
                    stopped.ErrorType, stopped.Message).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, AnthropicErrorTypes.Api,
                    $"the answer of provider '{conversion.Provider}' broke off: {exception.Message}").ConfigureAwait(false);
                return;
            }

            using var ownedBody = upstreamBody;
            if (upstreamBody.WrittenCount >= maxBodyBytes)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, AnthropicErrorTypes.Api,
                    $"the answer of provider '{conversion.Provider}' is larger than the {maxBodyBytes / 1024} KB vdm accepts").ConfigureAwait(false);
                return;
            }

            using var clientBody = new PooledBufferWriter(upstreamBody.WrittenCount + 512);
            var error = stream
                ? adapter.WriteResponseAsStream(upstreamBody.WrittenMemory, conversion, clientBody)
                : adapter.WriteResponse(upstreamBody.WrittenMemory, conversion, clientBody);
            if (error is { } failure)
            {
                await ErrorResponses.WriteAsync(context, failure.Status ?? StatusCodes.Status502BadGateway, failure.Type, failure.Message).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = stream ? "text/event-stream" : "application/json";
            var tally = ResponseTally.For(context, ApiFormat.Anthropic);
            if (stream)
            {
                tally.ObserveStream(clientBody.WrittenSpan);
            }
            else
            {
                tally.ObserveJson(clientBody.WrittenSpan);
            }

            await context.Response.BodyWriter.WriteAsync(clientBody.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task RelayStreamAsync(HttpContext context, HttpResponseMessage response, IFormatAdapter adapter, ConversionContext conversion)
    {
        var aborted = context.RequestAborted;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // What the client is sent is read on its way, for the usage logs and metrics report.
        var client = new ObservedPipeWriter(context.Response.BodyWriter, ResponseTally.For(context, ApiFormat.Anthropic).ObserveStream);
        var upstream = await UpstreamStream.OpenAsync(response, context, conversion.Provider).ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            try
            {
                await adapter.RelayStreamAsync(upstream, client, conversion, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client left; disposing the response aborts the upstream request.
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                // After the first byte a status can no longer be sent: the stream ends with an error event, never
                // as a silently truncated success.
                if (exception is UpstreamReadStopped stopped)
                {
                    AnthropicErrorBody.WriteEvent(client, stopped.ErrorType, stopped.Message);
                }
                else
                {
                    AnthropicErrorBody.WriteEvent(client, AnthropicErrorTypes.Api, $"the upstream stream of provider '{conversion.Provider}' failed: {exception.Message}");
                }

                await client.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteUpstreamErrorAsync(
        HttpContext context, HttpResponseMessage response, IFormatAdapter adapter, string provider, KeyRingExhausted? exhausted)
    {
        PooledBufferWriter body;
        try
        {
            body = await UpstreamBody.ReadAsync(response, MaxErrorBodyBytes, context, provider).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            body = new PooledBufferWriter(16);
        }

        using var ownedBody = body;
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;

        // An Anthropic provider's own error body is already what the client expects: relay it untouched.
        if (adapter.Format == ApiFormat.Anthropic && exhausted is null && body.WrittenCount < MaxErrorBodyBytes && IsAnthropicError(body.WrittenSpan))
        {
            // Claude Code retries "overloaded", which Anthropic sends as 529; some compatible vendors say 503.
            context.Response.StatusCode = status == StatusCodes.Status503ServiceUnavailable ? 529 : status;
            context.Response.ContentType = "application/json";
            await context.Response.BodyWriter.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var mapped = UpstreamErrorMapper.Map(status, body.WrittenSpan, contentType);
        if (exhausted is null)
        {
            await ErrorResponses.WriteAsync(context, mapped.Status, mapped.Type, mapped.Message).ConfigureAwait(false);
            return;
        }

        // Every key was refused: the status the keys got (429 with the earliest retry if any was rate limited), and a
        // message that blames the gateway's credentials, not the client's.
        if (exhausted.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            context.Response.Headers.Remove("Retry-After");
        }

        var exhaustedStatus = UpstreamErrorMapper.Map(exhausted.Status, [], null);
        await ErrorResponses.WriteAsync(context, exhaustedStatus.Status, exhaustedStatus.Type, $"{exhausted.Message}: {mapped.Message}").ConfigureAwait(false);
    }

    private static bool IsAnthropicError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            return reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.StartObject
                && reader.Read() && reader.ValueTextEquals("type"u8)
                && reader.Read() && reader.ValueTextEquals("error"u8);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The provider headers a client acts on: when to retry, and Anthropic's request id for support.</summary>
    private static void CopyHeaders(HttpResponseMessage response, HttpResponse client)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            client.Headers.RetryAfter = retryAfter.ToString();
        }

        if (response.Headers.TryGetValues("request-id", out var requestId))
        {
            client.Headers["request-id"] = requestId.First();
        }
    }
}
