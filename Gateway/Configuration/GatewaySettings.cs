using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// The whole configuration, immutable: built once at startup and replaced as a whole (never edited) when it is
/// reloaded, so a request sees one consistent snapshot from start to end.
/// </summary>
internal sealed record GatewaySettings
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    public required LogLevel LogLevel { get; init; }

    /// <summary>The key clients must present, or null when vdm is open to any local client.</summary>
    public string? ProxyApiKey { get; init; }

    /// <summary>The provider for model names without a prefix: configured, or the only one; null when ambiguous or none.</summary>
    public string? DefaultProvider { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public required int MaxRetries { get; init; }

    public int? MaxTokensLimit { get; init; }

    public int? MinTokensLimit { get; init; }

    public required ImmutableArray<ProviderSettings> Providers { get; init; }

    public required ImmutableArray<AliasDefinition> Aliases { get; init; }

    public ProviderSettings? FindProvider(string name)
    {
        foreach (var provider in Providers)
        {
            if (string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return provider;
            }
        }

        return null;
    }
}

/// <summary>An alias as written: <c>VDM_ALIAS_FAST=poe:gemini-flash</c> (global) or <c>POE_ALIAS_FAST=gemini-flash</c> (scoped).</summary>
/// <param name="Provider">The provider a scoped alias belongs to; null for a global alias.</param>
/// <param name="Name">The alias, lower-cased.</param>
/// <param name="Target">What it stands for, as written.</param>
internal sealed record AliasDefinition(string? Provider, string Name, string Target);
