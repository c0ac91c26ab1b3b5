namespace Vdm.Gateway.Configuration;

/// <summary>
/// Holds the current <see cref="GatewaySettings"/> snapshot. A reload swaps in a whole new snapshot; a request reads
/// <see cref="Current"/> once and keeps that snapshot to the end, so it never sees half of an old and half of a new one.
/// </summary>
internal sealed class SettingsHolder(GatewaySettings initial)
{
    private GatewaySettings _current = initial;

    public GatewaySettings Current => Volatile.Read(ref _current);

    public void Replace(GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _current, settings);
    }
}
