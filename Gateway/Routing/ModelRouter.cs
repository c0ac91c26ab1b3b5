// STUB: replaced by helper/router at merge.
#pragma warning disable
using System.Collections.Immutable;
using Vdm.Gateway.Configuration;
namespace Vdm.Gateway.Routing;

internal readonly record struct Route(ProviderSettings Provider, string Model, string? Alias)
{
    public ImmutableArray<(ProviderSettings Provider, string Model)> Fallbacks { get; init; } = [];
}
internal readonly record struct RouteError(string Message);
internal sealed class ModelRouter
{
    private readonly GatewaySettings _settings;
    private ModelRouter(GatewaySettings settings) => _settings = settings;
    public static ModelRouter Build(GatewaySettings settings, out IReadOnlyList<string> errors, out IReadOnlyList<string> warnings)
    { errors = []; warnings = []; return new ModelRouter(settings); }
    public bool TryResolve(string requestedModel, out Route route, out RouteError error)
    {
        var colon = requestedModel.IndexOf(':');
        var provider = colon > 0 ? _settings.FindProvider(requestedModel[..colon]) : _settings.FindProvider(_settings.DefaultProvider ?? "");
        var model = colon > 0 ? requestedModel[(colon + 1)..] : requestedModel;
        if (provider is null) { route = default; error = new RouteError("no provider"); return false; }
        route = new Route(provider, model, null); error = default; return true;
    }
}
