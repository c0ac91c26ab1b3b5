namespace Vdm.Gateway.Upstream;

/// <summary>
/// The limits one request's upstream calls run under: a deadline for the provider's response headers that covers
/// every attempt, retry and fallback (<c>REQUEST_TIMEOUT</c>, from when the request arrived), the retry policy, and
/// the connect timeout (applied by the pooled handler; here to name it in errors), and the end of the shutdown grace.
/// </summary>
internal sealed record UpstreamLimits(TimeProvider Time, long Start, TimeSpan RequestTimeout, TimeSpan ConnectTimeout, RetryPolicy Retries)
{
    /// <summary>Fires when the gateway's shutdown grace is over: calls still waiting for headers give up.</summary>
    public CancellationToken Shutdown { get; init; }

    /// <summary>What is left of <see cref="RequestTimeout"/>; zero or less once it has passed.</summary>
    public TimeSpan Remaining => RequestTimeout - Time.GetElapsedTime(Start);
}
