namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>One generated request body, and a label that says how it was made, for the failure report.</summary>
internal sealed record FuzzCase(string Label, byte[] Body)
{
    public override string ToString() => $"{Label} ({Body.Length} bytes)";
}
