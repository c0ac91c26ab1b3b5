using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway;

/// <summary>
/// <c>GET /health</c>: that vdm is up, its version, and the providers it would use, answered from the configuration
/// alone (no upstream call, no secret: keys appear only as fingerprints).
/// </summary>
internal static class HealthEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<GatewayState>().Settings;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsJsonAsync(Build(settings), GatewayJsonContext.Default.HealthResponse, cancellationToken: context.RequestAborted);
    }

    public static HealthResponse Build(GatewaySettings settings) => new(
        "healthy",
        VdmVersion.Current,
        settings.DefaultProvider,
        [.. settings.Providers.Select(provider => new HealthProvider(
            provider.Name,
            provider.FormatName,
            provider.BaseUrl.OriginalString,
            provider.AuthModeName,
            [.. provider.Keys.Select(KeyFingerprint.Of)]))]);
}

/// <summary>The <c>/health</c> body.</summary>
internal sealed record HealthResponse(string Status, string Version, string? DefaultProvider, IReadOnlyList<HealthProvider> Providers);

/// <summary>One provider in the <c>/health</c> body; <c>auth_mode</c> is static, passthrough or none.</summary>
internal sealed record HealthProvider(string Name, string ApiFormat, string BaseUrl, string AuthMode, IReadOnlyList<string> ApiKeyHashes);
