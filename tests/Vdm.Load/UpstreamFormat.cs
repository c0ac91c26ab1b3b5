namespace Vdm.Load;

/// <summary>Which API the fake provider speaks, and so which of vdm's two stream paths is loaded.</summary>
internal enum UpstreamFormat
{
    /// <summary>Chat Completions chunks, translated by vdm into Anthropic events.</summary>
    OpenAI,

    /// <summary>Anthropic Messages events, passed through by vdm.</summary>
    Anthropic,
}
