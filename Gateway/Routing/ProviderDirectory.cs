using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Routing;

/// <summary>The configured providers by name (case-insensitive, looked up from a span without allocating) and the default one.</summary>
internal sealed class ProviderDirectory
{
    private readonly Dictionary<string, ProviderSettings>.AlternateLookup<ReadOnlySpan<char>> _byName;

    public ProviderDirectory(GatewaySettings settings)
    {
        var providers = new Dictionary<string, ProviderSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in settings.Providers)
        {
            providers.TryAdd(provider.Name, provider);
        }

        _byName = providers.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = providers.Count;
        Names = string.Join(", ", settings.Providers.Select(provider => provider.Name).Order(StringComparer.Ordinal));
        Default = settings.DefaultProvider is null ? null : Find(settings.DefaultProvider);
    }

    public int Count { get; }

    /// <summary>The provider for names without a prefix; null when none is configured or several are and none was chosen.</summary>
    public ProviderSettings? Default { get; }

    /// <summary>The configured provider names, A to Z, comma-separated.</summary>
    public string Names { get; }

    public ProviderSettings? Find(ReadOnlySpan<char> name) => _byName.TryGetValue(name, out var provider) ? provider : null;

    /// <summary>"configured: a, b" or "none is configured", for messages.</summary>
    public string Describe() => Count == 0 ? "no provider is configured" : "configured: " + Names;
}
