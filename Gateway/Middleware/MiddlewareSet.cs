using System.Collections.Frozen;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// The process's middlewares, one instance each (built from <see cref="MiddlewareCatalog"/> when the server starts,
/// so what they keep survives a reload), and the pipeline for one request: the ones its provider is configured
/// with (<see cref="ProviderSettings.Middleware"/>) that apply to its model and choose to take part.
/// </summary>
internal sealed class MiddlewareSet
{
    private readonly FrozenDictionary<string, ProxyMiddleware> _byName;

    // Kept apart: it also serves the providers that do not run it (see For).
    private readonly GeminiThoughtSignatures? _signatures;

    public MiddlewareSet(IEnumerable<ProxyMiddleware> middlewares)
    {
        _byName = middlewares.ToFrozenDictionary(middleware => middleware.Name, StringComparer.Ordinal);
        _signatures = _byName.GetValueOrDefault(GeminiThoughtSignatures.MiddlewareName) as GeminiThoughtSignatures;
    }

    public static MiddlewareSet Create(GatewaySettings settings, TimeProvider time) =>
        new(MiddlewareCatalog.All.Select(entry => entry.Create(new MiddlewareOptions(settings, time))));

    public ProxyMiddleware? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The pipeline for a request to <paramref name="provider"/>; null when no middleware takes part (the free path).</summary>
    public MiddlewarePipeline? For(ProviderSettings provider, MiddlewareRequest request)
    {
        if (provider.Format != Conversion.ApiFormat.OpenAI)
        {
            return null;
        }

        List<MiddlewareRun>? runs = null;
        var signatures = false;
        foreach (var selection in provider.Middleware)
        {
            if (selection.AppliesTo(request.Model) && Find(selection.Name)?.Begin(request) is { } run)
            {
                (runs ??= []).Add(run);
                signatures |= selection.Name == GeminiThoughtSignatures.MiddlewareName;
            }
        }

        // Carrier ids from a Gemini turn earlier in the conversation must not reach a provider that is not carrying them
        // (OpenAI limits ids to 40 characters): without the middleware, they still go out as the ids they stand for.
        if (!signatures && _signatures is { } carrier)
        {
            (runs ??= []).Add(carrier.BeginUnwrapOnly(request));
        }

        return runs is null ? null : new MiddlewarePipeline([.. runs]);
    }
}
