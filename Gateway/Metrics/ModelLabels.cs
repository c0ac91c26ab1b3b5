using System.Collections.Concurrent;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// The model names metrics keep apart, at most <c>METRICS_MAX_MODELS</c> of them; later ones count as
/// <c>other</c>. Clients choose model names (<c>openai:anything</c> routes), and every name would otherwise be a new
/// Prometheus series and a new totals entry kept forever.
/// </summary>
internal sealed class ModelLabels(int max)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<(string Provider, string Model), string> _known = new();
    private int _count;

    public string For(string provider, string model)
    {
        if (_known.TryGetValue((provider, model), out var label))
        {
            return label;
        }

        // Claimed before it is added, so that racing newcomers cannot overshoot the cap.
        if (Interlocked.Increment(ref _count) > max)
        {
            Interlocked.Decrement(ref _count);

            // Another request may have just added this very name under the cap.
            return _known.TryGetValue((provider, model), out label) ? label : Other;
        }

        if (!_known.TryAdd((provider, model), model))
        {
            // Another request added the same name first.
            Interlocked.Decrement(ref _count);
        }

        return model;
    }
}
