using System.Collections.Immutable;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Routing;

/// <summary>Where one request goes: the provider, the model name it is sent with, and the alias that chose them.</summary>
/// <param name="Provider">The configured provider to call.</param>
/// <param name="Model">The upstream model name, case kept as written.</param>
/// <param name="Alias">The alias the requested name matched (lower-cased, as configured); null when none did. For logs.</param>
internal readonly record struct Route(ProviderSettings Provider, string Model, string? Alias)
{
    private readonly ImmutableArray<(ProviderSettings Provider, string Model)> _fallbacks;

    /// <summary>
    /// Every target of a fallback alias (<c>VDM_ALIAS_X=openai:gpt-4o,anthropic:claude-sonnet-4-5</c>) in order, the
    /// first being (<see cref="Provider"/>, <see cref="Model"/>); empty when the route has a single target.
    /// </summary>
    public ImmutableArray<(ProviderSettings Provider, string Model)> Fallbacks
    {
        get => _fallbacks.IsDefault ? [] : _fallbacks;
        init => _fallbacks = value;
    }
}
