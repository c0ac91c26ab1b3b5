namespace Vdm.Conversion.Request;

/// <summary>
/// What an OpenAI-format provider accepts beyond the common core of Chat Completions, so that one conversion serves
/// them all: the name of the output-limit field, whether it takes <c>stream_options</c>, reasoning effort, PDF file
/// parts or <c>top_k</c>, and whether earlier reasoning must be echoed back (peers.md §6 item 3).
/// </summary>
internal sealed record ProviderProfile
{
    /// <summary><c>max_tokens</c>, or <c>max_completion_tokens</c> where the older name is refused (OpenAI reasoning models).</summary>
    public string MaxTokensField { get; init; } = "max_tokens";

    /// <summary>Whether <c>stream_options.include_usage</c> may be sent (some local servers reject the field).</summary>
    public bool StreamOptions { get; init; } = true;

    /// <summary>Whether Anthropic's <c>thinking</c> becomes <c>reasoning_effort</c>; otherwise it is dropped with a note.</summary>
    public bool ReasoningEffort { get; init; }

    /// <summary>DeepSeek-style thinking mode: earlier assistant thinking must come back as <c>reasoning_content</c>.</summary>
    public bool EchoReasoningContent { get; init; }

    /// <summary>Whether PDF documents may be sent as <c>file</c> content parts.</summary>
    public bool FileParts { get; init; }

    /// <summary>Whether <c>top_k</c> is accepted (vLLM and similar servers) or dropped with a note.</summary>
    public bool TopK { get; init; }

    /// <summary>Whether tool schemas must be rewritten into the subset Gemini accepts (<see cref="GeminiSchema"/>).</summary>
    public bool GeminiSchema { get; init; }

    /// <summary>Whether tool-call ids must be nine letters or digits (Mistral), see <see cref="ToolIds"/>.</summary>
    public bool ShortToolIds { get; init; }

    /// <summary>
    /// Whether <c>system</c> turns inside the conversation (Claude Code 2.1's per-turn instructions) may stay where they
    /// are; otherwise they are joined to the system prompt, first, where every chat template takes one. On for the
    /// hosted APIs known to take system messages anywhere; off for the rest (Mistral, local servers, unknown URLs).
    /// </summary>
    public bool SystemTurnsInPlace { get; init; }

    /// <summary>OpenAI accepts at most four stop sequences.</summary>
    public int MaxStopSequences { get; init; } = 4;

    public static ProviderProfile Default { get; } = new();

    /// <summary>The built-in profile for a provider and model; unknown providers get the common core.</summary>
    public static ProviderProfile For(string provider, string model)
    {
        var profile = ForProvider(provider, model);
        return IsGeminiModel(model) && !profile.GeminiSchema ? profile with { GeminiSchema = true } : profile;
    }

    private static ProviderProfile ForProvider(string provider, string model) => provider switch
    {
        "openai" or "azure" => new ProviderProfile
        {
            MaxTokensField = "max_completion_tokens",
            ReasoningEffort = IsOpenAIReasoningModel(model),
            FileParts = true,
            SystemTurnsInPlace = true,
        },
        "deepseek" => new ProviderProfile { EchoReasoningContent = true, SystemTurnsInPlace = true },
        "gemini" => new ProviderProfile { ReasoningEffort = true, GeminiSchema = true, SystemTurnsInPlace = true },
        "groq" or "xai" => new ProviderProfile { ReasoningEffort = true, SystemTurnsInPlace = true },
        "openrouter" => new ProviderProfile { ReasoningEffort = true, FileParts = true, SystemTurnsInPlace = true },
        "ollama" or "lmstudio" => new ProviderProfile { TopK = true },
        "mistral" => new ProviderProfile { ShortToolIds = true },
        _ => Default,
    };

    // Gemini reached through another provider (openrouter:google/gemini-2.5-pro) has the same schema rules.
    private static bool IsGeminiModel(string model) =>
        model.StartsWith("gemini", StringComparison.OrdinalIgnoreCase) || model.Contains("/gemini", StringComparison.OrdinalIgnoreCase);

    // o1/o3/o4 and GPT-5 take reasoning_effort; GPT-4o and older refuse it.
    private static bool IsOpenAIReasoningModel(string model) =>
        model.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase)
        || (model.Length >= 2 && (model[0] is 'o' or 'O') && char.IsAsciiDigit(model[1]));
}
