using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Routing;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Steps 2 and 4 of every proxy endpoint. Step 2: the body, parsed once; its model, required; the route the model
/// takes, recorded on the request for logs and metrics; for a <c>!PASSTHRU</c> provider, the client's own key.
/// Errors are answered here, in the endpoint's own shape. Step 4: the endpoint's upstream body sent to that provider.
/// </summary>
internal sealed class RoutedRequest : IDisposable
{
    private readonly HttpContext _context;
    private readonly GatewayState _gateway;

    /// <summary>Step 1's outcome (<see cref="ClientAuthMiddleware"/>): the client may use the gateway, and may have brought its own key.</summary>
    private readonly ClientAuthResult _auth;

    private RoutedRequest(HttpContext context, GatewayState gateway, RequestBody body, Route route, string requestedModel)
    {
        _context = context;
        _gateway = gateway;
        _auth = ClientAuthMiddleware.Of(context);
        Body = body;
        Route = route;
        RequestedModel = requestedModel;
    }

    public RequestBody Body { get; }

    public Route Route { get; }

    public ProviderSettings Provider => Route.Provider;

    /// <summary>The gateway's settings this request runs under.</summary>
    public GatewaySettings Settings => _gateway.Settings;

    /// <summary>The model name as the client wrote it (an alias, or <c>provider:model</c>).</summary>
    public string RequestedModel { get; }

    /// <summary>The routed request, or null when the client has been answered with an error.</summary>
    public static async Task<RoutedRequest?> ReadAsync(HttpContext context)
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        var (body, problem) = await RequestBody.ReadAsync(context.Request.BodyReader, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, problem!).ConfigureAwait(false);
            return null;
        }

        if (body.Model is not { Length: > 0 } requestedModel)
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "model: is required").ConfigureAwait(false);
            return null;
        }

        if (!gateway.Router.TryResolve(requestedModel, out var route, out var routeError))
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, routeError.Message).ConfigureAwait(false);
            return null;
        }

        if (RequestContext.Of(context) is { } tracked)
        {
            tracked.Provider = route.Provider.Name;
            tracked.Model = route.Model;
            tracked.RequestedModel = requestedModel;
        }

        return new RoutedRequest(context, gateway, body, route, requestedModel);
    }

    /// <summary>For a <c>!PASSTHRU</c> provider, the client must have brought its own key; false once answered with a 401.</summary>
    public async Task<bool> HasUpstreamKeyAsync()
    {
        if (Provider.Auth != ProviderAuth.Passthrough || _auth.UpstreamKey is not null)
        {
            return true;
        }

        await ErrorResponses.WriteAsync(_context, StatusCodes.Status401Unauthorized,
            ClientAuth.MissingPassthroughKey(Provider.Name, _gateway.Settings.ProxyApiKey is not null)).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Step 4: <paramref name="upstreamBody"/> to the routed provider at <paramref name="path"/>, with its keys (the
    /// session's first, see <see cref="UpstreamCall"/>) or the client's own, within the request timeout, cancelled
    /// when the client leaves.
    /// </summary>
    public Task<UpstreamResult> SendAsync(string path, ReadOnlyMemory<byte> upstreamBody, bool stream, string? sessionId)
    {
        var (provider, model, auth, headers) = (Provider, Route.Model, _auth, _context.Request.Headers);
        return UpstreamCall.SendAsync(
            _gateway.Clients.For(provider.Name),
            provider,
            _gateway.KeyRing(provider.Name),
            sessionId,
            auth.UpstreamKey,
            key => UpstreamRequest.Create(provider, path, model, upstreamBody, stream, key, auth.UpstreamKeyScheme, headers),
            _gateway.Settings.RequestTimeout,
            _context.RequestAborted);
    }

    public void Dispose() => Body.Dispose();
}
