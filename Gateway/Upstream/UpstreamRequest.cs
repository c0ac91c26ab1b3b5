using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// Builds the HTTP request to a provider: the URL for its format (Azure deployments included), its credentials, its
/// custom headers, and for Anthropic-format providers the client's <c>anthropic-version</c> and
/// <c>anthropic-beta</c>. Nothing else of the client's request is forwarded: hop-by-hop headers and the client's
/// gateway credentials never go upstream.
/// </summary>
internal static class UpstreamRequest
{
    public const string DefaultAnthropicVersion = "2023-06-01";

    private static readonly ProductInfoHeaderValue UserAgent = new("vdm", VdmVersion.Current);

    public static HttpRequestMessage Create(
        ProviderSettings provider, string path, string model, ReadOnlyMemory<byte> body, bool stream, string? key, UpstreamKeyScheme keyScheme,
        IHeaderDictionary clientHeaders)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(provider, path, model))
        {
            Content = new UpstreamContent(body),
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));

        if (provider.Format == ApiFormat.Anthropic)
        {
            var version = clientHeaders["anthropic-version"].ToString();
            request.Headers.TryAddWithoutValidation("anthropic-version", version.Length > 0 ? version : DefaultAnthropicVersion);
            if (clientHeaders["anthropic-beta"].ToString() is { Length: > 0 } beta)
            {
                request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
            }
        }

        AddCredentials(request, provider, key, keyScheme);

        // Last, so that a provider's custom header replaces one vdm would send (a special Authorization, a pinned
        // anthropic-version) instead of joining it as a second value.
        foreach (var (name, value) in provider.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>The provider's endpoint for <paramref name="path"/> (<c>chat/completions</c>, <c>v1/messages</c>, …).</summary>
    public static Uri Url(ProviderSettings provider, string path, string model)
    {
        var root = provider.BaseUrl.OriginalString.TrimEnd('/');
        if (provider.ApiVersion is { } apiVersion && provider.Format == ApiFormat.OpenAI)
        {
            return new Uri($"{root}/openai/deployments/{Uri.EscapeDataString(model)}/{path}?api-version={Uri.EscapeDataString(apiVersion)}");
        }

        // People write the Anthropic base URL both with and without /v1; either way the path has it once.
        if (path.StartsWith("v1/", StringComparison.Ordinal) && root.EndsWith("/v1", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        return new Uri($"{root}/{path}");
    }

    private static void AddCredentials(HttpRequestMessage request, ProviderSettings provider, string? key, UpstreamKeyScheme keyScheme)
    {
        if (key is null)
        {
            return;
        }

        if (provider.ApiVersion is not null && provider.Format == ApiFormat.OpenAI)
        {
            request.Headers.TryAddWithoutValidation("api-key", key);
            return;
        }

        // A static key goes the provider's way; the client's own key the way the client sent it (ClientAuth decides).
        var scheme = provider.Auth == ProviderAuth.Passthrough ? keyScheme : UpstreamKeyScheme.XApiKey;
        var (name, value) = ClientAuth.UpstreamHeader(key, scheme, provider.Format);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
