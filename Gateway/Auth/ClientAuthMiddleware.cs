using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Vdm.Gateway.Auth;

/// <summary>
/// Step 1 for every endpoint but <c>/health</c> (which monitoring must reach without a key): with
/// <c>PROXY_API_KEY</c> set, a client without it gets a 401 here; the result, with any key of the client's own for
/// passthrough providers, is left on the request for the endpoints.
/// </summary>
internal sealed class ClientAuthMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        // The request's own snapshot of the state: the key it is let in with belongs to the configuration it runs on.
        var proxyKey = context.RequestServices.GetRequiredService<GatewayState>().Settings.ProxyApiKey;
        var result = ClientAuth.Check(context.Request.Headers, proxyKey);
        if (!result.Allowed)
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, result.Failure ?? "authentication failed");
        }

        context.Features.Set(result);
        return next(context);
    }

    /// <summary>The client's authentication, as the middleware found it.</summary>
    public static ClientAuthResult Of(HttpContext context) =>
        context.Features.Get<ClientAuthResult>() ?? ClientAuthResult.Allow(null, UpstreamKeyScheme.None);
}
