namespace Vdm.Gateway.Configuration;

/// <summary>
/// The variables of every layer, merged per variable: for each name the value of the highest-precedence layer that
/// sets it wins. Lower layers stay reachable for the one rule that needs them (a base URL that loops back to vdm).
/// </summary>
internal sealed class LayeredVariables
{
    private readonly ConfigLayer[] _layers;

    /// <param name="layers">In any order; they are sorted by precedence.</param>
    public LayeredVariables(IEnumerable<ConfigLayer> layers)
    {
        _layers = [.. layers.OrderBy(layer => layer.Kind)];
        Names = [.. _layers.SelectMany(layer => layer.Values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<ConfigLayer> Layers => _layers;

    /// <summary>Every name set by any layer, in ordinal order so that output and discovery are deterministic.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool TryGet(string name, out ConfigValue value)
    {
        foreach (var layer in _layers)
        {
            if (layer.Values.TryGetValue(name, out var raw))
            {
                value = new ConfigValue(raw, layer);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Like <see cref="TryGet"/>, but a blank value counts as not set, so the lookup goes on to lower layers: an
    /// exported <c>PORT=</c> does not hide the <c>PORT=9000</c> of a <c>.env</c> file. Used for every setting where
    /// empty has no meaning of its own (API keys are the exception: empty there means "no credentials").
    /// </summary>
    public bool TryGetNonEmpty(string name, out ConfigValue value)
    {
        foreach (var layer in _layers)
        {
            if (layer.Values.TryGetValue(name, out var raw) && !string.IsNullOrWhiteSpace(raw))
            {
                value = new ConfigValue(raw, layer);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Every layer's value for <paramref name="name"/>, highest precedence first.</summary>
    public IEnumerable<ConfigValue> AllValues(string name)
    {
        foreach (var layer in _layers)
        {
            if (layer.Values.TryGetValue(name, out var raw))
            {
                yield return new ConfigValue(raw, layer);
            }
        }
    }
}
