using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion;
using Vdm.Conversion.Response;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c>: without <c>?provider</c>, the models vdm itself offers — every usable alias (id: the name to
/// send, <c>fast</c> or <c>poe:fast</c>) and every model the aliases lead to (<c>provider:model</c>); with
/// <c>?provider=NAME</c>, that provider's own list, fetched with its credentials (within
/// <see cref="UpstreamTimeout"/>), kept for <see cref="ModelListCache.Lifetime"/> unless <c>?refresh=true</c>, with
/// each id prefixed <c>NAME:</c> so it can be sent back as it is.
/// </summary>
/// <remarks>
/// The shape is Anthropic's (<c>{"data":[{"type":"model",…}],"has_more":…}</c>) when asked with <c>?format=anthropic</c>
/// or, without <c>?format</c>, when the request carries <c>anthropic-version</c> as Anthropic clients do; otherwise
/// OpenAI's (<c>{"object":"list","data":[…]}</c>). Aliases and their targets have no creation date: 0 (1970).
/// </remarks>
internal static class ModelsEndpoint
{
    public static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(10);

    private const int MaxListBytes = 16 * 1024 * 1024;

    public static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var format = request.Query["format"].ToString().ToLowerInvariant();
        if (format is not ("" or "anthropic" or "openai"))
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest,
                $"format: '{request.Query["format"]}' is not a list format; use anthropic or openai").ConfigureAwait(false);
            return;
        }

        var anthropic = format == "anthropic" || (format.Length == 0 && request.Headers.ContainsKey("anthropic-version"));
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        IReadOnlyList<ModelEntry>? models;
        if (request.Query["provider"].ToString() is { Length: > 0 } providerName)
        {
            models = await ProviderModelsAsync(context, gateway, providerName).ConfigureAwait(false);
            if (models is null)
            {
                return;
            }
        }
        else
        {
            models = AliasModels(gateway);
        }

        var cancellation = context.RequestAborted;
        await (anthropic
            ? context.Response.WriteAsJsonAsync(ModelList.ToAnthropic(models), GatewayJsonContext.Default.AnthropicModelList, cancellationToken: cancellation)
            : context.Response.WriteAsJsonAsync(ModelList.ToOpenAI(models), GatewayJsonContext.Default.OpenAIModelList, cancellationToken: cancellation))
            .ConfigureAwait(false);
    }

    /// <summary>Each usable alias under the name that selects it, then each model an alias leads to, in order, once.</summary>
    public static List<ModelEntry> AliasModels(GatewayState gateway)
    {
        var settings = gateway.Settings;
        var models = new List<ModelEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var targets = new List<ModelEntry>();
        foreach (var alias in settings.Aliases.OrderBy(a => a.Provider is not null).ThenBy(a => a.Provider, StringComparer.Ordinal).ThenBy(a => a.Name, StringComparer.Ordinal))
        {
            if (alias.Provider is not null && settings.FindProvider(alias.Provider) is null)
            {
                continue;
            }

            var id = alias.Provider is null ? alias.Name : $"{alias.Provider}:{alias.Name}";
            if (!gateway.Router.TryResolve(id, out var route, out _) || !seen.Add(id))
            {
                continue; // Unusable (its problem is reported at startup and by the request that uses it).
            }

            var chain = route.Fallbacks.IsEmpty ? [(route.Provider, route.Model)] : route.Fallbacks;
            var leadsTo = string.Join(", ", chain.Select(target => $"{target.Provider.Name}:{target.Model}"));
            models.Add(new ModelEntry(id, $"{id} → {leadsTo}", 0, "vdm"));
            foreach (var (provider, model) in chain)
            {
                var targetId = $"{provider.Name}:{model}";
                targets.Add(new ModelEntry(targetId, targetId, 0, provider.Name));
            }
        }

        foreach (var target in targets)
        {
            if (seen.Add(target.Id))
            {
                models.Add(target);
            }
        }

        return models;
    }

    /// <summary>The provider's list from the cache or the provider; null when an error has been written instead.</summary>
    private static async Task<IReadOnlyList<ModelEntry>?> ProviderModelsAsync(HttpContext context, GatewayState gateway, string name)
    {
        var settings = gateway.Settings;
        if (settings.FindProvider(name) is not { } provider)
        {
            var configured = settings.Providers.IsEmpty
                ? "no provider is configured"
                : "configured providers: " + string.Join(", ", settings.Providers.Select(p => p.Name).Order(StringComparer.Ordinal));
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, $"provider: unknown provider '{name}' ({configured})").ConfigureAwait(false);
            return null;
        }

        var auth = ClientAuthMiddleware.Of(context);
        if (provider.Auth == ProviderAuth.Passthrough && auth.UpstreamKey is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
                ClientAuth.MissingPassthroughKey(provider.Name, settings.ProxyApiKey is not null)).ConfigureAwait(false);
            return null;
        }

        var cache = context.RequestServices.GetRequiredService<ModelListCache>();
        var cacheKey = provider.Auth == ProviderAuth.Passthrough ? $"{provider.Name}|{KeyFingerprint.Of(auth.UpstreamKey!)}" : provider.Name;
        var refresh = context.Request.Query["refresh"].ToString() is "true" or "1";
        if (!refresh && cache.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        if (RequestContext.Of(context) is { } tracked)
        {
            tracked.Provider = provider.Name;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(UpstreamTimeout);
        var call = new UpstreamCall(
            gateway.Clients.For(provider.Name),
            provider,
            gateway.KeyRing(provider.Name),
            null,
            auth.UpstreamKey,
            key => CreateRequest(provider, key, auth.UpstreamKeyScheme, context.Request.Headers))
        {
            ProxyFor = gateway.Clients.ProxyFor,
        };
        var limits = new UpstreamLimits(gateway.Time, gateway.Time.GetTimestamp(), UpstreamTimeout, settings.ConnectTimeout, RetryPolicy.None);
        // The limits time the call (a 504 on expiry); the timeout token below is for reading the list once it answers.
        var result = await call.SendAsync(limits, context.RequestAborted).ConfigureAwait(false);

        if (result.Response is not { } response)
        {
            await ErrorResponses.WriteAsync(context, result.FailureStatus, result.FailureType!,
                result.FailureStatus == StatusCodes.Status504GatewayTimeout
                    ? $"provider '{provider.Name}' did not list its models within {UpstreamTimeout.TotalSeconds:0} s"
                    : result.FailureMessage!).ConfigureAwait(false);
            return null;
        }

        using (response)
        {
            byte[] body;
            try
            {
                body = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException
                && !context.RequestAborted.IsCancellationRequested)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, AnthropicErrorTypes.Api,
                    $"provider '{provider.Name}': reading its model list failed: {exception.Message}").ConfigureAwait(false);
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var mapped = UpstreamErrorMapper.Map((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
                await ErrorResponses.WriteAsync(context, mapped.Status, mapped.Type, $"provider '{provider.Name}': {mapped.Message}").ConfigureAwait(false);
                return null;
            }

            if (ModelList.Read(body, provider.Name) is not { } models)
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, AnthropicErrorTypes.Api,
                    $"provider '{provider.Name}' answered with something that is not a model list ({{\"data\":[…]}})").ConfigureAwait(false);
                return null;
            }

            cache.Set(cacheKey, models);
            return models;
        }
    }

    /// <summary>
    /// <c>GET {BASE_URL}/models</c> (OpenAI; Azure: <c>/openai/models?api-version=…</c>) or <c>GET {BASE_URL}/v1/models</c>
    /// (Anthropic, with <c>anthropic-version</c>), with the credentials and custom headers a Messages call gets.
    /// </summary>
    public static HttpRequestMessage CreateRequest(ProviderSettings provider, string? key, UpstreamKeyScheme keyScheme, IHeaderDictionary clientHeaders)
    {
        var root = provider.BaseUrl.OriginalString.TrimEnd('/');
        var azure = provider.Format == ApiFormat.OpenAI && provider.ApiVersion is not null;
        var url = provider.Format == ApiFormat.Anthropic
            ? UpstreamRequest.Url(provider, "v1/models?limit=1000", "")
            : azure ? new Uri($"{root}/openai/models?api-version={Uri.EscapeDataString(provider.ApiVersion!)}") : new Uri($"{root}/models");
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("vdm", VdmVersion.Current));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in provider.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (provider.Format == ApiFormat.Anthropic)
        {
            var version = clientHeaders["anthropic-version"].ToString();
            request.Headers.TryAddWithoutValidation("anthropic-version", version.Length > 0 ? version : UpstreamRequest.DefaultAnthropicVersion);
        }

        if (key is not null)
        {
            var (name, value) = azure
                ? new KeyValuePair<string, string>("api-key", key)
                : ClientAuth.UpstreamHeader(key, provider.Auth == ProviderAuth.Passthrough ? keyScheme : UpstreamKeyScheme.XApiKey, provider.Format);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static async Task<byte[]> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (buffer.Length < MaxListBytes)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
