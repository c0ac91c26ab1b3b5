using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Vdm.Conversion;

namespace Vdm.Gateway.Auth;

/// <summary>
/// Decides who the client is from its headers. With <c>PROXY_API_KEY</c> set, the client must present that key: in
/// <c>x-vdm-proxy-key</c>, which frees <c>x-api-key</c> / <c>Authorization: Bearer</c> for its own upstream key, or
/// else in <c>x-api-key</c> (or, when absent, <c>Authorization: Bearer</c>), which is then never forwarded. Without it,
/// everyone is allowed and <c>x-api-key</c> / Bearer is the client's own key. The endpoint decides whether to ask
/// (<c>/health</c> does not).
/// </summary>
internal static class ClientAuth
{
    public const string ProxyKeyHeader = "x-vdm-proxy-key";

    public const string ApiKeyHeader = "x-api-key";

    private const string BearerPrefix = "Bearer ";

    public static ClientAuthResult Check(IHeaderDictionary headers, string? proxyApiKey)
    {
        ArgumentNullException.ThrowIfNull(headers);

        var (clientKey, scheme) = ClientKey(headers);
        if (string.IsNullOrEmpty(proxyApiKey))
        {
            return ClientAuthResult.Allow(clientKey, scheme);
        }

        if (headers.TryGetValue(ProxyKeyHeader, out var dedicated))
        {
            var presented = First(dedicated);
            if (presented is null)
            {
                return ClientAuthResult.Deny($"{ProxyKeyHeader} is empty; it must carry this gateway's proxy key (PROXY_API_KEY)");
            }

            if (!ProxyKeyMatches(presented, proxyApiKey))
            {
                return ClientAuthResult.Deny($"the key in {ProxyKeyHeader} is not this gateway's proxy key (PROXY_API_KEY)");
            }

            // Sent in both places, the proxy key is still the gateway's own and never goes upstream.
            return clientKey is not null && ProxyKeyMatches(clientKey, proxyApiKey)
                ? ClientAuthResult.Allow(null, UpstreamKeyScheme.None)
                : ClientAuthResult.Allow(clientKey, scheme);
        }

        if (clientKey is null)
        {
            return ClientAuthResult.Deny(
                $"this gateway requires its proxy key (PROXY_API_KEY); send it as {ApiKeyHeader} or Authorization: Bearer, "
                + $"or as {ProxyKeyHeader} to keep {ApiKeyHeader} for your own provider key");
        }

        // The proxy key is the gateway's, not the client's upstream key: it is never forwarded.
        return ProxyKeyMatches(clientKey, proxyApiKey)
            ? ClientAuthResult.Allow(null, UpstreamKeyScheme.None)
            : ClientAuthResult.Deny($"the key in {HeaderName(scheme)} is not this gateway's proxy key (PROXY_API_KEY)");
    }

    /// <summary>The 401 message for a <c>!PASSTHRU</c> provider when the client brought no key of its own.</summary>
    public static string MissingPassthroughKey(string provider, bool proxyKeyRequired)
    {
        var message = $"provider '{provider}' forwards the client's own API key (!PASSTHRU), but the request carried none; "
            + $"send it as {ApiKeyHeader} or Authorization: Bearer";
        return proxyKeyRequired ? message + $", with this gateway's proxy key in {ProxyKeyHeader}" : message;
    }

    /// <summary>
    /// The header that forwards the client's own key: OpenAI-format providers take a bearer token; Anthropic-format
    /// ones get the key as it came, since a Claude subscription token only works as <c>Authorization: Bearer</c>.
    /// </summary>
    public static KeyValuePair<string, string> UpstreamHeader(string key, UpstreamKeyScheme scheme, ApiFormat format)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return format == ApiFormat.Anthropic && scheme != UpstreamKeyScheme.Bearer
            ? new(ApiKeyHeader, key)
            : new("Authorization", BearerPrefix + key);
    }

    /// <summary>
    /// Compares in constant time. Both sides are hashed first so that keys of different lengths take as long as keys
    /// of the same length: <see cref="CryptographicOperations.FixedTimeEquals"/> returns early on a length mismatch.
    /// </summary>
    internal static bool ProxyKeyMatches(string presented, string expected)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }

    private static (string? Key, UpstreamKeyScheme Scheme) ClientKey(IHeaderDictionary headers)
    {
        if (First(headers[ApiKeyHeader]) is { } apiKey)
        {
            return (apiKey, UpstreamKeyScheme.XApiKey);
        }

        // Any other scheme (Basic, …) carries no key for vdm.
        var authorization = First(headers.Authorization);
        if (authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization[BearerPrefix.Length..].Trim();
            if (token.Length > 0)
            {
                return (token, UpstreamKeyScheme.Bearer);
            }
        }

        return (null, UpstreamKeyScheme.None);
    }

    private static string HeaderName(UpstreamKeyScheme scheme) =>
        scheme == UpstreamKeyScheme.Bearer ? "Authorization: Bearer" : ApiKeyHeader;

    // A header sent twice counts by its first value; a blank value counts as absent.
    private static string? First(StringValues values)
    {
        var value = values.Count > 0 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
