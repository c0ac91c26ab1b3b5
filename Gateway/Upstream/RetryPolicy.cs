namespace Vdm.Gateway.Upstream;

/// <summary>
/// When a failed upstream call is sent again, and after how long: up to <see cref="MaxRetries"/> times, for transport
/// failures and the statuses that mean "try again" (408, 409, 429, 500, 502, 503, 504, 529), after an exponential
/// backoff with jitter, or after the provider's own <c>retry-after</c> when it gave one that is not longer than
/// <see cref="RetryAfterMax"/> (a longer wait is the client's to decide, so vdm answers at once).
/// </summary>
internal sealed class RetryPolicy
{
    // Doubling from the base delay stops here, so a generous MAX_RETRIES does not mean minute-long waits.
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(8);

    private readonly Func<double> _random;

    /// <param name="random">A number in [0, 1) for the jitter; <see cref="Random.Shared"/> outside tests.</param>
    public RetryPolicy(int maxRetries, TimeSpan baseDelay, TimeSpan retryAfterMax, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        MaxRetries = maxRetries;
        BaseDelay = baseDelay;
        RetryAfterMax = retryAfterMax;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>No retries: one attempt per key.</summary>
    public static RetryPolicy None { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero);

    public int MaxRetries { get; }

    public TimeSpan BaseDelay { get; }

    public TimeSpan RetryAfterMax { get; }

    /// <summary>Whether an upstream answer with <paramref name="status"/> may succeed if sent again unchanged.</summary>
    public static bool IsRetryable(int status) => status is 408 or 409 or 429 or 500 or 502 or 503 or 504 or 529;

    /// <summary>
    /// How long to wait before retry number <paramref name="retry"/> (1 for the first), or null when the provider asked
    /// for a longer wait than <see cref="RetryAfterMax"/>. Without <c>retry-after</c>: base × 2^(retry−1), at most 8 s,
    /// of which a random half is taken off ("equal jitter"), so that clients that failed together do not return together.
    /// </summary>
    public TimeSpan? DelayBefore(int retry, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (retryAfter is { } asked)
        {
            return asked <= TimeSpan.Zero ? TimeSpan.Zero : asked <= RetryAfterMax ? asked : null;
        }

        var backoff = BaseDelay * Math.Pow(2, Math.Min(retry - 1, 30));
        if (backoff > MaxBackoff)
        {
            backoff = MaxBackoff;
        }

        return backoff * (0.5 + (_random() / 2));
    }
}
