using System.Text;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Auth;

/// <summary>
/// Whether a client may use the gateway and which key of its own it brought for <c>!PASSTHRU</c> providers.
/// <see cref="ToString"/> shows the key only as its fingerprint, so the result is safe to log.
/// </summary>
/// <param name="Allowed">False when the gateway's proxy key is required and was missing or wrong.</param>
/// <param name="Failure">When not allowed, the message for a 401 <c>authentication_error</c>: which header is expected, never the key.</param>
/// <param name="UpstreamKey">The client's own key, to forward to passthrough providers; null when it brought none.</param>
/// <param name="UpstreamKeyScheme">How <paramref name="UpstreamKey"/> arrived.</param>
internal sealed record ClientAuthResult(bool Allowed, string? Failure, string? UpstreamKey, UpstreamKeyScheme UpstreamKeyScheme)
{
    public static ClientAuthResult Allow(string? upstreamKey, UpstreamKeyScheme scheme) =>
        upstreamKey is null ? new(true, null, null, UpstreamKeyScheme.None) : new(true, null, upstreamKey, scheme);

    public static ClientAuthResult Deny(string failure) => new(false, failure, null, UpstreamKeyScheme.None);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Allowed = {Allowed}, Failure = {Failure}, UpstreamKey = ");
        builder.Append(UpstreamKey is null ? "null" : KeyFingerprint.Of(UpstreamKey));
        builder.Append($", UpstreamKeyScheme = {UpstreamKeyScheme}");
        return true;
    }
}
