namespace Vdm.Gateway.Keys;

/// <summary>
/// Why a request got no answer from a static-key provider: every key it could try failed. Carries the status to send
/// and a message that blames the gateway's credentials (not the client's) without naming any key.
/// </summary>
/// <param name="Provider">The provider whose keys failed.</param>
/// <param name="Tried">How many keys the request tried.</param>
/// <param name="Total">How many keys the provider has; the others were cooling down.</param>
/// <param name="Status">The upstream's status: 429 when any key was rate limited, else the last one received.</param>
/// <param name="RetryAfter">For a 429, the smallest <c>retry-after</c> any key received; null when none said.</param>
internal sealed record KeyRingExhausted(string Provider, int Tried, int Total, int Status, TimeSpan? RetryAfter)
{
    /// <summary>The <c>retry-after</c> header value: whole seconds, rounded up so the client never comes back early.</summary>
    public int? RetryAfterSeconds => RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null;

    public string Message
    {
        get
        {
            var keys = Tried == 1 ? "1 key" : $"{Tried} keys";
            var resting = Total > Tried ? $", {Total - Tried} more cooling down" : "";
            var retry = RetryAfterSeconds is { } seconds ? $"; retry after {seconds} s" : "";
            return $"the gateway's upstream credentials for provider '{Provider}' failed ({keys} tried{resting}; upstream status {Status}){retry}";
        }
    }
}
