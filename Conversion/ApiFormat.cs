namespace Vdm.Conversion;

/// <summary>The wire format a provider speaks upstream.</summary>
internal enum ApiFormat
{
    /// <summary>OpenAI Chat Completions: vdm converts Anthropic Messages to it and back.</summary>
    OpenAI,

    /// <summary>Anthropic Messages: vdm relays the body and the stream untouched but for the model name.</summary>
    Anthropic,
}
