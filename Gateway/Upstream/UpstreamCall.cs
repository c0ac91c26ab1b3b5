using Vdm.Conversion;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;

namespace Vdm.Gateway.Upstream;

/// <summary>An upstream call's outcome: the response (whatever its status), or why there is none.</summary>
/// <param name="Exhausted">Set when every static key the request could try was refused: the gateway's credentials failed, not the client's.</param>
internal sealed record UpstreamResult(
    HttpResponseMessage? Response, int FailureStatus = 0, string? FailureType = null, string? FailureMessage = null, KeyRingExhausted? Exhausted = null);

/// <summary>
/// Sends one request upstream with the provider's credentials: for static keys, the session's key first and, on
/// 401, 402, 403 or 429, each other key at once before answering (the failing key cools down). Waits for the
/// response headers only, within the request timeout; the body is the caller's to read. A client that goes away
/// cancels the call.
/// </summary>
internal static class UpstreamCall
{
    public static async Task<UpstreamResult> SendAsync(
        HttpMessageInvoker invoker,
        ProviderSettings provider,
        ApiKeyRing? keys,
        string? sessionId,
        string? clientKey,
        Func<string?, HttpRequestMessage> createRequest,
        TimeSpan headersTimeout,
        CancellationToken cancellationToken)
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
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(headersTimeout);
            using var request = createRequest(key);
            try
            {
                last = await invoker.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new UpstreamResult(null, StatusCodes.Status504GatewayTimeout, AnthropicErrorTypes.Timeout,
                    $"provider '{provider.Name}' did not answer within {headersTimeout.TotalSeconds:0.#} s (REQUEST_TIMEOUT)");
            }
            catch (HttpRequestException exception)
            {
                return new UpstreamResult(null, StatusCodes.Status502BadGateway, AnthropicErrorTypes.Api,
                    $"could not reach provider '{provider.Name}': {exception.Message}");
            }

            if (attempt is null || !attempt.Failed(key!, (int)last.StatusCode, RetryAfter(last)))
            {
                return new UpstreamResult(last);
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static class StatusCodes
    {
        public const int Status502BadGateway = 502;
        public const int Status504GatewayTimeout = 504;
    }
}
