using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/aliases</c>: the configured aliases as written, grouped by the provider they belong to, the global
/// ones (<c>VDM_ALIAS_*</c>) under <see cref="GlobalKey"/>, which no provider can be named:
/// <c>{"object":"list","aliases":{"*":{"fast":"poe:gemini-flash"},"poe":{"big":"claude-opus"}},"total":2}</c>.
/// Groups and names are A to Z, the global group first.
/// </summary>
internal static class AliasesEndpoint
{
    public const string GlobalKey = "*";

    public static Task HandleAsync(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<GatewayState>().Settings;
        return context.Response.WriteAsJsonAsync(Build(settings), GatewayJsonContext.Default.AliasesResponse, cancellationToken: context.RequestAborted);
    }

    public static AliasesResponse Build(GatewaySettings settings)
    {
        var groups = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var total = 0;
        var ordered = settings.Aliases
            .Where(alias => alias.Provider is null || settings.FindProvider(alias.Provider) is not null)
            .OrderBy(alias => alias.Provider is not null)
            .ThenBy(alias => alias.Provider, StringComparer.Ordinal)
            .ThenBy(alias => alias.Name, StringComparer.Ordinal);
        foreach (var group in ordered.GroupBy(alias => alias.Provider ?? GlobalKey, StringComparer.Ordinal))
        {
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var alias in group)
            {
                if (aliases.TryAdd(alias.Name, alias.Target))
                {
                    total++;
                }
            }

            groups[group.Key] = aliases;
        }

        return new AliasesResponse("list", groups, total);
    }
}

/// <summary>The <c>/v1/aliases</c> body.</summary>
internal sealed record AliasesResponse(string Object, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases, int Total);
