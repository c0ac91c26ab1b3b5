using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
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
/// Step 5 of <see cref="ChatCompletionsEndpoint"/>: the OpenAI-format provider's answer as it gave it — a JSON body
/// with its status, or an event stream forwarded read by read with a flush each — and every failure in OpenAI's
/// error shape: the provider's own OpenAI-shaped error body as it came, anything else mapped by
/// <see cref="UpstreamErrorMapper"/>. A stream that breaks after its first byte ends with an in-band
/// <c>data: {"error":{…}}</c> line, never as a silently truncated success.
/// </summary>
internal static class ChatCompletionsRelay
{
    private const int MaxErrorBodyBytes = 1024 * 1024;

    private static readonly TimeSpan ErrorLineGrace = TimeSpan.FromMilliseconds(100);

    public static async Task WriteAsync(HttpContext context, UpstreamResult result, string provider)
    {
        if (result.Response is not { } response)
        {
            var status = ForOpenAIClients(result.FailureStatus);
            await OpenAIErrorResponses.WriteAsync(context, status, OpenAIErrorTypes.FromAnthropic(result.FailureType!, status), result.FailureMessage!, null)
                .ConfigureAwait(false);
            return;
        }

        using (response)
        {
            CopyHeaders(response, context.Response);
            if (!response.IsSuccessStatusCode)
            {
                await WriteUpstreamErrorAsync(context, response, provider, result.Exhausted).ConfigureAwait(false);
                return;
            }

            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                await RelayStreamAsync(context, response, provider).ConfigureAwait(false);
                return;
            }

            var maxBodyBytes = context.RequestServices.GetRequiredService<GatewayState>().Settings.MaxResponseBytes;
            PooledBufferWriter body;
            try
            {
                body = await UpstreamBody.ReadAsync(response, maxBodyBytes, context, provider).ConfigureAwait(false);
            }
            catch (UpstreamReadStopped stopped)
            {
                await OpenAIErrorResponses.WriteAsync(context, stopped.IsTimeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable,
                    OpenAIErrorTypes.FromAnthropic(stopped.ErrorType, stopped.IsTimeout ? 504 : 503), stopped.Message, null).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, OpenAIErrorTypes.Api,
                    $"the response of provider '{provider}' broke off: {exception.Message}", null).ConfigureAwait(false);
                return;
            }

            using (body)
            {
                if (body.WrittenCount >= maxBodyBytes)
                {
                    await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, OpenAIErrorTypes.Api,
                        $"the response of provider '{provider}' is larger than the {maxBodyBytes / 1024} KB vdm accepts", null).ConfigureAwait(false);
                    return;
                }

                context.Response.StatusCode = (int)response.StatusCode;
                context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
                ResponseTally.For(context, ApiFormat.OpenAI).ObserveJson(body.WrittenSpan);
                await context.Response.BodyWriter.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static async Task RelayStreamAsync(HttpContext context, HttpResponseMessage response, string provider)
    {
        var aborted = context.RequestAborted;
        // What the client is sent is read on its way, for the usage logs and metrics report, and to know whether the
        // answer finished (a finish_reason) when a provider closes the stream without [DONE].
        var tally = ResponseTally.For(context, ApiFormat.OpenAI);
        var client = new ObservedPipeWriter(context.Response.BodyWriter, tally.ObserveStream);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // The last two bytes forwarded, to tell whether the stream broke off at an event boundary.
        var tail = (Previous: (byte)'\n', Last: (byte)'\n');

        // Whether [DONE] went by: the answer is then complete, and a connection that breaks or idles after it is no failure.
        var done = StreamEndWatch.ForOpenAI();
        var upstream = await UpstreamStream.OpenAsync(response, context, provider).ConfigureAwait(false);
        await using (upstream.ConfigureAwait(false))
        {
            try
            {
                // Upstream writes each chunk as it happens, so a read returns what has arrived: forward and flush it
                // at once rather than waiting for a full buffer (a stalled token would otherwise sit here).
                while (true)
                {
                    var memory = client.GetMemory(4 * 1024);
                    var read = await upstream.ReadAsync(memory, aborted).ConfigureAwait(false);
                    if (read == 0)
                    {
                        // A clean close before the answer ended is a truncated answer, never a quiet success.
                        if (!done.Seen && !tally.AnswerFinished)
                        {
                            await EndWithErrorAsync(context, client, tail, OpenAIErrorTypes.Api,
                                $"the stream of provider '{provider}' ended before its answer did (no finish_reason, no [DONE])").ConfigureAwait(false);
                        }

                        return;
                    }

                    tail = read == 1 ? (tail.Last, memory.Span[0]) : (memory.Span[read - 2], memory.Span[read - 1]);
                    done.Observe(memory.Span[..read]);
                    client.Advance(read);
                    var flush = await client.FlushAsync(aborted).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client left; disposing the response aborts the upstream request.
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                if (done.Seen)
                {
                    return;
                }

                await EndWithErrorAsync(context, client, tail, exception is UpstreamReadStopped { IsTimeout: true } ? OpenAIErrorTypes.Timeout : OpenAIErrorTypes.Api,
                    exception is UpstreamReadStopped ? exception.Message : $"the upstream stream of provider '{provider}' failed: {exception.Message}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// After the first byte a status can no longer be sent: the stream ends with OpenAI's in-band error line (which the
    /// Python and JavaScript SDKs raise), on a line of its own even when the upstream broke off mid-event, and then the
    /// response ends without its closing chunk — the OpenAI .NET SDK reads past an in-band error and takes a clean end
    /// for a complete answer, but no HTTP client takes a cut-off response for one.
    /// </summary>
    private static async Task EndWithErrorAsync(HttpContext context, PipeWriter client, (byte Previous, byte Last) tail, string type, string message)
    {
        using var error = new PooledBufferWriter(512);
        if (tail != ((byte)'\n', (byte)'\n'))
        {
            error.Write(tail.Last == (byte)'\n' ? "\n"u8 : "\n\n"u8);
        }

        error.Write("data: "u8);
        OpenAIErrorResponses.WriteBody(error, type, message);
        error.Write("\n\n"u8);
        await client.WriteAsync(error.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        if (RequestContext.Of(context) is { } request)
        {
            request.EndedByGateway = true;
        }

        // A flush hands the bytes to Kestrel's transport, not yet to the socket, and an abort drops what the transport has
        // not sent: the error line would be lost. No event says it has gone, so the abort waits a moment for it (a failed
        // stream only; the transport sends within microseconds unless the client has stopped reading).
        await Task.Delay(ErrorLineGrace, context.RequestServices.GetRequiredService<TimeProvider>(), context.RequestAborted)
            .ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        context.Abort();
    }

    private static async Task WriteUpstreamErrorAsync(HttpContext context, HttpResponseMessage response, string provider, KeyRingExhausted? exhausted)
    {
        PooledBufferWriter body;
        try
        {
            body = await UpstreamBody.ReadAsync(response, MaxErrorBodyBytes, context, provider).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            body = new PooledBufferWriter(0);
        }

        using (body)
        {
            var status = (int)response.StatusCode;
            var openAI = OpenAIError.TryRead(body.WrittenSpan);

            // The provider's own OpenAI-shaped error is already what the client expects: relay it untouched.
            if (exhausted is null && openAI is not null)
            {
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.BodyWriter.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var mapped = UpstreamErrorMapper.Map(status, body.WrittenSpan, response.Content.Headers.ContentType?.MediaType);
            var code = openAI?.Code ?? (mapped.Message.StartsWith("prompt is too long", StringComparison.Ordinal) ? "context_length_exceeded" : null);
            if (exhausted is null)
            {
                var mappedStatus = ForOpenAIClients(mapped.Status);
                await OpenAIErrorResponses.WriteAsync(context, mappedStatus, OpenAIErrorTypes.FromAnthropic(mapped.Type, mappedStatus), mapped.Message, code)
                    .ConfigureAwait(false);
                return;
            }

            // Every key was refused: the status the keys got (429 with the earliest retry if any was rate limited), and
            // a message that blames the gateway's credentials, not the client's.
            if (exhausted.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Remove("Retry-After");
            }

            var exhaustedStatus = ForOpenAIClients(exhausted.Status);
            await OpenAIErrorResponses.WriteAsync(context, exhaustedStatus, openAI?.Type ?? OpenAIErrorTypes.ForStatus(exhaustedStatus),
                $"{exhausted.Message}: {mapped.Message}", code).ConfigureAwait(false);
        }
    }

    /// <summary>The mapper speaks Anthropic's table, where an overloaded server is a 529; OpenAI clients know 503.</summary>
    private static int ForOpenAIClients(int status) => status == 529 ? StatusCodes.Status503ServiceUnavailable : status;

    /// <summary>The provider headers an OpenAI client acts on: when to retry, its rate-limit budget, and its request id.</summary>
    private static void CopyHeaders(HttpResponseMessage response, HttpResponse client)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            client.Headers.RetryAfter = retryAfter.ToString();
        }

        foreach (var (name, values) in response.Headers)
        {
            if (name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase))
            {
                client.Headers[name] = values.First();
            }
        }
    }

    /// <summary>An OpenAI error body, <c>{"error":{"message":"…",…}}</c>: its type and code, when it is one.</summary>
    private sealed record OpenAIError(string? Type, string? Code)
    {
        public static OpenAIError? TryRead(ReadOnlySpan<byte> body)
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                OpenAIError? found = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isError = reader.ValueTextEquals("error"u8);
                    reader.Read();
                    if (isError && reader.TokenType == JsonTokenType.StartObject)
                    {
                        found = ReadError(ref reader);
                        continue;
                    }

                    reader.Skip();
                }

                // The whole body must be JSON for it to be relayed as JSON.
                reader.Read();
                return found;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static OpenAIError? ReadError(ref Utf8JsonReader reader)
        {
            string? message = null, type = null, code = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.ValueTextEquals("message"u8) ? 1 : reader.ValueTextEquals("type"u8) ? 2 : reader.ValueTextEquals("code"u8) ? 3 : 0;
                reader.Read();
                if (property != 0 && reader.TokenType == JsonTokenType.String)
                {
                    var text = reader.GetString();
                    if (property == 1)
                    {
                        message = text;
                    }
                    else if (property == 2)
                    {
                        type = text;
                    }
                    else
                    {
                        code = text;
                    }
                }

                reader.Skip();
            }

            return message is null ? null : new OpenAIError(type, code);
        }
    }
}
