namespace Vdm.Conversion.Response;

/// <summary>What <see cref="ChatCompletionReader"/> keeps of an OpenAI <c>chat.completion</c> body: the chosen choice and usage.</summary>
internal sealed class ChatCompletionParts
{
    public string? Id { get; set; }

    /// <summary>True when the body carries a non-null top-level <c>error</c> (OpenRouter and others report failures in a 200).</summary>
    public bool HasError { get; set; }

    public bool HasChoice { get; set; }

    public string? FinishReason { get; set; }

    public string? Content { get; set; }

    public string? Refusal { get; set; }

    public string? ReasoningContent { get; set; }

    public string? Reasoning { get; set; }

    public string? ReasoningDetailsText { get; set; }

    public string? ReasoningSignature { get; set; }

    public List<ToolCallPart> ToolCalls { get; } = [];

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    public long CachedTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    /// <summary>The thinking text: the first reasoning field a provider filled, since OpenRouter repeats one text in several.</summary>
    public string? Thinking =>
        NonEmpty(ReasoningContent) ?? NonEmpty(Reasoning) ?? NonEmpty(ReasoningDetailsText);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>One upstream tool call: its id if given, the upstream's tool name, and the arguments as a compact JSON object.</summary>
internal sealed record ToolCallPart(string? Id, string Name, byte[] Input);
