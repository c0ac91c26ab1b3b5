namespace Vdm.Gateway.Configuration;

/// <summary>
/// What a re-read of the configuration changed, by variable name only (values may be keys): which files changed,
/// which variables now have another value, which of those only a restart can apply, and which changed in a file but
/// stay as they were because a higher layer (the environment, a flag, <c>./.env</c> over the user file) sets them.
/// </summary>
internal sealed record ConfigChanges(
    IReadOnlyList<string> Sources, IReadOnlyList<string> Changed, IReadOnlyList<string> NeedRestart, IReadOnlyList<string> Overridden)
{
    /// <summary>
    /// The variables whose settings are fixed when the server starts: the listening socket, Kestrel's body limit, the
    /// log level and format, the shutdown grace, the metrics' model-label cap.
    /// </summary>
    public static readonly IReadOnlyList<string> RestartOnly =
    [
        VariableCatalog.Host, VariableCatalog.Port, VariableCatalog.LogLevel, VariableCatalog.LogFormat, VariableCatalog.MaxRequestBytes,
        VariableCatalog.ShutdownTimeout, VariableCatalog.MetricsMaxModels, VariableCatalog.ThoughtSignatureCacheSize,
        VariableCatalog.ThoughtSignatureCacheTtl,
    ];

    /// <summary>True when nothing in effect changed: no reload is due.</summary>
    public bool IsEmpty => Changed.Count == 0 && NeedRestart.Count == 0;

    /// <summary>Compares the variables and settings in effect with the ones just read (<paramref name="loaded"/> null when invalid).</summary>
    public static ConfigChanges Between(LayeredVariables before, LayeredVariables after, GatewaySettings running, GatewaySettings? loaded)
    {
        var changed = new List<string>();
        var needRestart = new List<string>();
        var overridden = new List<string>();
        foreach (var name in before.Names.Union(after.Names, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var was = before.TryGet(name, out var old) ? old.Value : null;
            var now = after.TryGet(name, out var current) ? current.Value : null;
            if (was == now)
            {
                if (FileValueChanged(before, after, name))
                {
                    overridden.Add($"{name} ({current.Source.Label} wins)");
                }
            }
            else if (!RestartOnly.Contains(name))
            {
                changed.Add(name);
            }
            else if (loaded is null || Differs(name, running, loaded))
            {
                // A restart-only variable whose new value means the same (INFO and info) needs nothing at all.
                needRestart.Add(name);
            }
        }

        return new ConfigChanges(ChangedSources(before, after), changed, needRestart, overridden);
    }

    /// <summary><paramref name="loaded"/> as the running server can take it: the settings only a restart applies keep their running values.</summary>
    public static GatewaySettings Applicable(GatewaySettings running, GatewaySettings loaded) => loaded with
    {
        Host = running.Host,
        Port = running.Port,
        LogLevel = running.LogLevel,
        JsonLogs = running.JsonLogs,
        MetricsMaxModels = running.MetricsMaxModels,

        // The store is built once; whether the middleware runs is each provider's list, which does change.
        ThoughtSignatures = running.ThoughtSignatures with { Enabled = loaded.ThoughtSignatures.Enabled },
        MaxRequestBytes = running.MaxRequestBytes,
        ShutdownTimeout = running.ShutdownTimeout,

        // Not variables, so no file changes them; tests set them on the settings they start with.
        RetryBaseDelay = running.RetryBaseDelay,
        MaxResponseBytes = running.MaxResponseBytes,
    };

    private static bool Differs(string name, GatewaySettings running, GatewaySettings loaded) => name switch
    {
        VariableCatalog.Host => !string.Equals(running.Host, loaded.Host, StringComparison.OrdinalIgnoreCase),
        VariableCatalog.Port => running.Port != loaded.Port,
        VariableCatalog.LogLevel => running.LogLevel != loaded.LogLevel,
        VariableCatalog.MaxRequestBytes => running.MaxRequestBytes != loaded.MaxRequestBytes,
        VariableCatalog.LogFormat => running.JsonLogs != loaded.JsonLogs,
        VariableCatalog.MetricsMaxModels => running.MetricsMaxModels != loaded.MetricsMaxModels,
        VariableCatalog.ThoughtSignatureCacheSize => running.ThoughtSignatures.MaxCacheSize != loaded.ThoughtSignatures.MaxCacheSize,
        VariableCatalog.ThoughtSignatureCacheTtl => running.ThoughtSignatures.CacheTtl != loaded.ThoughtSignatures.CacheTtl,
        _ => running.ShutdownTimeout != loaded.ShutdownTimeout,
    };

    private static bool FileValueChanged(LayeredVariables before, LayeredVariables after, string name)
    {
        foreach (var kind in (ReadOnlySpan<ConfigSourceKind>)[ConfigSourceKind.ProjectFile, ConfigSourceKind.UserFile])
        {
            var was = FileLayer(before, kind) is { } oldLayer && oldLayer.Values.TryGetValue(name, out var oldValue) ? oldValue : null;
            var now = FileLayer(after, kind) is { } newLayer && newLayer.Values.TryGetValue(name, out var newValue) ? newValue : null;
            if (was != now)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The labels of the files whose contents changed, appeared or went away.</summary>
    private static List<string> ChangedSources(LayeredVariables before, LayeredVariables after)
    {
        var sources = new List<string>();
        foreach (var kind in (ReadOnlySpan<ConfigSourceKind>)[ConfigSourceKind.ProjectFile, ConfigSourceKind.UserFile])
        {
            var (was, now) = (FileLayer(before, kind), FileLayer(after, kind));
            if (was is null && now is null)
            {
                continue;
            }

            if (now is null)
            {
                sources.Add($"{was!.Label} (removed)");
            }
            else if (was is null || !SameValues(was.Values, now.Values))
            {
                sources.Add(now.Label);
            }
        }

        return sources;
    }

    private static ConfigLayer? FileLayer(LayeredVariables variables, ConfigSourceKind kind) =>
        variables.Layers.FirstOrDefault(layer => layer.Kind == kind);

    private static bool SameValues(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
