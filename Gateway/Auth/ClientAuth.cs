// STUB: replaced by helper/keys at merge.
#pragma warning disable
using Microsoft.AspNetCore.Http;
using Vdm.Gateway.Upstream;
namespace Vdm.Gateway.Auth;

internal sealed record ClientAuthResult(bool Allowed, string? Failure, string? UpstreamKey, KeyScheme UpstreamKeyScheme);
internal static class ClientAuth
{
    public static ClientAuthResult Authenticate(IHeaderDictionary headers, string? proxyKey)
    {
        var key = headers["x-api-key"].ToString();
        return new ClientAuthResult(true, null, key.Length > 0 ? key : null, KeyScheme.XApiKey);
    }
}
