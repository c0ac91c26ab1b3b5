namespace Vdm.Conversion;

/// <summary>The adapter for each upstream format.</summary>
internal static class FormatAdapters
{
    public static IFormatAdapter For(ApiFormat format) => format switch
    {
        ApiFormat.Anthropic => AnthropicPassthroughAdapter.Instance,
        _ => OpenAIFormatAdapter.Instance,
    };
}
