using Microsoft.AspNetCore.Http;

namespace Vdm.Gateway;

/// <summary><c>GET /</c>: what is running here and which endpoints it serves, for a person who opens the URL.</summary>
internal static class RootEndpoint
{
    private static readonly RootResponse Body = new(
        "vdm",
        VdmVersion.Current,
        "running",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["health"] = "GET /health",
            ["messages"] = "POST /v1/messages",
            ["count_tokens"] = "POST /v1/messages/count_tokens",
            ["models"] = "GET /v1/models",
            ["aliases"] = "GET /v1/aliases",
            ["chat_completions"] = "POST /v1/chat/completions",
            ["metrics"] = "GET /metrics",
            ["running_totals"] = "GET /metrics/running-totals",
            ["active_requests"] = "GET /metrics/active-requests",
        });

    public static Task HandleAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(Body, GatewayJsonContext.Default.RootResponse, cancellationToken: context.RequestAborted);
}

/// <summary>The <c>GET /</c> body.</summary>
internal sealed record RootResponse(string Name, string Version, string Status, IReadOnlyDictionary<string, string> Endpoints);
