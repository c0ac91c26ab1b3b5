using System.Collections.Immutable;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Middleware;

/// <summary>What a middleware is built from: the settings vdm started with, and the clock.</summary>
internal sealed record MiddlewareOptions(GatewaySettings Settings, TimeProvider Time);

/// <summary>
/// Every middleware vdm has, by the name configuration uses for it. Compiled in, so there is nothing to load or
/// reflect on. Adding one is its file and one line here.
/// </summary>
internal static class MiddlewareCatalog
{
    public static readonly ImmutableArray<(string Name, Func<MiddlewareOptions, ProxyMiddleware> Create)> All =
    [
        (GeminiThoughtSignatures.MiddlewareName, options => new GeminiThoughtSignatures(new ThoughtSignatureStore(
            options.Settings.ThoughtSignatures.MaxCacheSize, options.Settings.ThoughtSignatures.CacheTtl, options.Time))),
    ];

    public static IEnumerable<string> Names => All.Select(entry => entry.Name);
}
