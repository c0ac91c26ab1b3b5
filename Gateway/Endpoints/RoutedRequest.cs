using Microsoft.AspNetCore.Http;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Routing;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Step 2 of every proxy endpoint: the body, parsed once; its model, required; the route the model takes, recorded
/// on the request for logs and metrics. Errors are answered here, in the endpoint's own shape.
/// </summary>
internal sealed class RoutedRequest : IDisposable
{
    private RoutedRequest(RequestBody body, Route route, string requestedModel)
    {
        Body = body;
        Route = route;
        RequestedModel = requestedModel;
    }

    public RequestBody Body { get; }

    public Route Route { get; }

    public ProviderSettings Provider => Route.Provider;

    /// <summary>The model name as the client wrote it (an alias, or <c>provider:model</c>).</summary>
    public string RequestedModel { get; }

    /// <summary>The routed request, or null when the client has been answered with an error.</summary>
    public static async Task<RoutedRequest?> ReadAsync(HttpContext context, GatewayState gateway)
    {
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

        return new RoutedRequest(body, route, requestedModel);
    }

    /// <summary>For a <c>!PASSTHRU</c> provider, the client must have brought its own key; false once answered with a 401.</summary>
    public async Task<bool> HasUpstreamKeyAsync(HttpContext context, ClientAuthResult auth, GatewaySettings settings)
    {
        if (Provider.Auth != ProviderAuth.Passthrough || auth.UpstreamKey is not null)
        {
            return true;
        }

        await ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
            ClientAuth.MissingPassthroughKey(Provider.Name, settings.ProxyApiKey is not null)).ConfigureAwait(false);
        return false;
    }

    public void Dispose() => Body.Dispose();
}
