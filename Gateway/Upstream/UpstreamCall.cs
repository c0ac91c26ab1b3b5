using Microsoft.Extensions.Logging;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;

namespace Vdm.Gateway.Upstream;

/// <summary>An upstream call's outcome: the response (whatever its status), or why there is none.</summary>
/// <param name="Exhausted">Set when every static key the request could try was refused: the gateway's credentials failed, not the client's.</param>
internal sealed record UpstreamResult(
    HttpResponseMessage? Response, int FailureStatus = 0, string? FailureType = null, string? FailureMessage = null, KeyRingExhausted? Exhausted = null)
{
    /// <summary>For a failure without a response: whether another attempt (or another provider) could succeed.</summary>
    public bool Retryable { get; init; }

    /// <summary>
    /// Whether every attempt wrote the request body out in full, so nothing reads its memory any more: it may go back to
    /// its pool, even before the answer is read. When false, an attempt may still be sending it (HTTP/2 sends a body
    /// while the answer arrives), so the memory must not be reused: it is left to the garbage collector.
    /// </summary>
    public bool BodySent { get; init; }

    /// <summary>
    /// Lets go of the request body <paramref name="result"/> answered: back to the pool when every send is done with
    /// it (<see cref="BodySent"/>), else abandoned to the garbage collector, as for a call that never got a result.
    /// </summary>
    public static void ReleaseBody(UpstreamResult? result, PooledBufferWriter body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (result?.BodySent == true)
        {
            body.Dispose();
        }
        else
        {
            body.Abandon();
        }
    }

    /// <summary>
    /// Whether a fallback target should be tried instead of answering with this: the provider could not be reached, or
    /// answered a retryable status, or refused every key the gateway has for it. Never for a success, and never for a
    /// failure that is the request's own (400, 404, 413…), which any provider would answer alike.
    /// </summary>
    public bool CanFallBack => Response is { } response
        ? !response.IsSuccessStatusCode && (RetryPolicy.IsRetryable((int)response.StatusCode) || Exhausted is not null)
        : Retryable;
}

/// <summary>
/// Sends one request to one provider, with its credentials, until it answers or the limits say stop:
/// <list type="bullet">
/// <item>static keys: the session's key first and, on 401, 402, 403 or 429, each other key at once (the failing key
/// cools down); this switch is not a retry;</item>
/// <item>retries: a transport failure or a retryable status is sent again after the policy's delay, up to its count,
/// and only while the delay ends before the request's deadline;</item>
/// <item>the deadline: every attempt waits for response headers only until <see cref="UpstreamLimits.Remaining"/>.</item>
/// </list>
/// The body is the caller's to read. A client that goes away cancels the call.
/// </summary>
/// <param name="invoker">The provider's pooled client.</param>
/// <param name="keys">The provider's static keys; null for a passthrough or keyless provider.</param>
/// <param name="sessionId">The Claude Code session, whose key is tried first.</param>
/// <param name="clientKey">The client's own key, for a <c>!PASSTHRU</c> provider.</param>
/// <param name="createRequest">Builds one attempt's request with the given key (a request is sent once, so each attempt gets a new one).</param>
internal sealed partial class UpstreamCall(
    HttpMessageInvoker invoker,
    ProviderSettings provider,
    ApiKeyRing? keys,
    string? sessionId,
    string? clientKey,
    Func<string?, HttpRequestMessage> createRequest)
{
    /// <summary>Where retries are logged; null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The outbound proxy a URL goes through, to name it when the connection fails; null when there is none.</summary>
    public Func<Uri, Uri?>? ProxyFor { get; init; }

    // Whether every attempt so far wrote its body out in full (see UpstreamResult.BodySent).
    private bool _allSent = true;

    public async Task<UpstreamResult> SendAsync(UpstreamLimits limits, CancellationToken cancellationToken)
    {
        for (var retry = 1; ; retry++)
        {
            var result = await SendOnceAsync(limits, cancellationToken).ConfigureAwait(false);
            if (retry > limits.Retries.MaxRetries || !ShouldRetry(result, out var retryAfter))
            {
                return result with { BodySent = _allSent };
            }

            if (limits.Retries.DelayBefore(retry, retryAfter) is not { } delay || delay >= limits.Remaining)
            {
                return result with { BodySent = _allSent };
            }

            if (Logger is { } logger && logger.IsEnabled(LogLevel.Warning))
            {
                var failure = result.Response is { } response ? $"HTTP {(int)response.StatusCode}" : result.FailureMessage!;
                LogRetry(logger, provider.Name, failure, (long)delay.TotalMilliseconds, retry, limits.Retries.MaxRetries);
            }

            result.Response?.Dispose();
            try
            {
                // One token for both, so that the wait's timer goes as soon as the client or the server does.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limits.Shutdown);
                await Task.Delay(delay, limits.Time, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limits.Shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return TransportFailure.ShuttingDown(provider.Name);
            }
        }
    }

    /// <summary>One attempt, trying each usable key once when keys are refused.</summary>
    private async Task<UpstreamResult> SendOnceAsync(UpstreamLimits limits, CancellationToken cancellationToken)
    {
        var attempt = provider.Auth == ProviderAuth.Static ? keys?.Begin(sessionId) : null;
        HttpResponseMessage? last = null;
        while (true)
        {
            string? key;
            if (attempt is not null)
            {
                if (!attempt.TryNext(out var next))
                {
                    return new UpstreamResult(last, Exhausted: last is null ? null : attempt.Exhausted);
                }

                key = next;
            }
            else
            {
                key = provider.Auth == ProviderAuth.Passthrough ? clientKey : null;
            }

            last?.Dispose();
            last = null;
            var remaining = limits.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                return TransportFailure.RequestTimeout(provider.Name, limits.RequestTimeout);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limits.Shutdown);
            deadline.CancelAfter(remaining);
            using var request = createRequest(key);
            try
            {
                last = await invoker.SendAsync(request, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                _allSent = false;

                // Not the client, so the shutdown or the deadline, or else the handler's connect timeout (which throws the same way).
                return limits.Shutdown.IsCancellationRequested ? TransportFailure.ShuttingDown(provider.Name)
                    : deadline.IsCancellationRequested ? TransportFailure.RequestTimeout(provider.Name, limits.RequestTimeout)
                    : TransportFailure.ConnectTimeout(provider.Name, request.RequestUri!, limits.ConnectTimeout);
            }
            catch (HttpRequestException exception)
            {
                var sent = request.Content is UpstreamContent { Sent: true };
                _allSent = false;
                return TransportFailure.From(exception, provider.Name, request.RequestUri!, ProxyFor?.Invoke(request.RequestUri!), sent);
            }

            _allSent &= request.Content is UpstreamContent { Sent: true };
            if (attempt is null || !attempt.Failed(key!, (int)last.StatusCode, RetryAfter(last)))
            {
                return new UpstreamResult(last);
            }
        }
    }

    private static bool ShouldRetry(UpstreamResult result, out TimeSpan? retryAfter)
    {
        retryAfter = null;
        if (result.Response is not { } response)
        {
            return result.Retryable;
        }

        var status = (int)response.StatusCode;
        if (!RetryPolicy.IsRetryable(status))
        {
            return false;
        }

        // Keys that were all refused are retried only for a rate limit (they rest for its retry-after); a 401 stays one.
        retryAfter = result.Exhausted is { } exhausted ? exhausted.RetryAfter : RetryAfter(response);
        return true;
    }

    /// <summary>The provider's <c>retry-after-ms</c> (OpenAI, Anthropic) or <c>retry-after</c> (seconds or a date).</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        // A provider's header is input like any other: Infinity, NaN or 25 digits mean "no usable hint", never an overflow.
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.First(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            && double.IsFinite(ms) && ms >= 0 && ms <= ApiKeyRing.MaxCooldown.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta < ApiKeyRing.MaxCooldown ? delta : ApiKeyRing.MaxCooldown,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait < ApiKeyRing.MaxCooldown ? wait : ApiKeyRing.MaxCooldown,
            _ => null,
        };
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Provider {Provider} failed ({Failure}); retrying in {DelayMs} ms (retry {Retry} of {MaxRetries})")]
    private static partial void LogRetry(ILogger logger, string provider, string failure, long delayMs, int retry, int maxRetries);
}
