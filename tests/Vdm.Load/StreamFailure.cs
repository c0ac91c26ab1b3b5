namespace Vdm.Load;

/// <summary>Why one stream failed: a short kind to count failures by, and the detail of this one.</summary>
internal sealed record StreamFailure(string Kind, string Detail);
