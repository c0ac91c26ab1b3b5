using System.Globalization;
using System.Text.RegularExpressions;

namespace Vdm.Conversion.Response;

/// <summary>
/// The one mapping from an upstream failure (status and body) to what the client sees (peers.md §3.5 items 85–87):
/// Anthropic's status table, a short human message from whatever shape the body has, and context-length failures
/// rephrased the way Anthropic words them.
/// </summary>
internal static partial class UpstreamErrorMapper
{
    /// <summary>Maps an upstream error response.</summary>
    public static MappedError Map(int upstreamStatus, ReadOnlySpan<byte> body, string? contentType) =>
        Map(upstreamStatus, UpstreamErrorBody.Read(body, contentType), $"upstream returned HTTP {upstreamStatus}");

    /// <summary>
    /// Maps an error an upstream reported inside a 200 body (<c>{"error":{…}}</c> with no choices). Its numeric
    /// <c>code</c> stands in for the status when it is one; otherwise the upstream failed, which is a 502.
    /// </summary>
    public static MappedError MapInBand(ReadOnlySpan<byte> body)
    {
        var details = UpstreamErrorBody.Read(body, "application/json");
        var status = details.NumericCode is >= 400 and <= 599 ? details.NumericCode.Value : 502;
        return Map(status, details, "upstream reported an error without a message");
    }

    private static MappedError Map(int upstreamStatus, UpstreamErrorDetails details, string fallbackMessage)
    {
        var message = string.IsNullOrEmpty(details.Message) ? fallbackMessage : details.Message;
        if (IsContextLength(details.Code, message))
        {
            return new MappedError(400, AnthropicErrorTypes.InvalidRequest, PromptTooLong(message));
        }

        var status = upstreamStatus switch
        {
            // Claude Code retries "Overloaded" (529) with backoff; a 503 means the same thing from other servers.
            503 or 529 => 529,
            >= 400 and <= 599 => upstreamStatus,
            _ => 502,
        };
        return new MappedError(status, details.AnthropicType ?? AnthropicErrorTypes.ForStatus(status), message);
    }

    private static bool IsContextLength(string? code, string message) =>
        code is "context_length_exceeded" ||
        message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("context_length_exceeded", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("context length exceeded", StringComparison.OrdinalIgnoreCase) ||
        message.StartsWith("prompt is too long", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Anthropic's wording, <c>prompt is too long: N tokens &gt; M maximum</c>, which Claude Code reacts to by
    /// compacting. The limit is the number after "maximum"/"limit"; the prompt size is the largest number above it.
    /// </summary>
    private static string PromptTooLong(string message)
    {
        if (AnthropicWording().Match(message) is { Success: true } anthropic)
        {
            return $"prompt is too long: {anthropic.Groups[1].Value} tokens > {anthropic.Groups[2].Value} maximum";
        }

        if (LimitNumber().Match(message) is not { Success: true } limit || !TryParseCount(limit.Groups[1].Value, out var maximum))
        {
            return $"prompt is too long: {message}";
        }

        long? actual = null;
        foreach (Match number in AnyNumber().Matches(message))
        {
            if (number.Index != limit.Groups[1].Index && TryParseCount(number.Value, out var value) && value > maximum && value > (actual ?? 0))
            {
                actual = value;
            }
        }

        return actual is { } tokens
            ? $"prompt is too long: {tokens} tokens > {maximum} maximum"
            : $"prompt is too long: the maximum context length is {maximum} tokens";
    }

    private static bool TryParseCount(string digits, out long value) =>
        long.TryParse(digits.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    [GeneratedRegex(@"prompt is too long:\s*(\d+)\s*tokens\s*>\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex AnthropicWording();

    [GeneratedRegex(@"(?:maximum|limit|max)\D{0,40}?(\d[\d,]*\d|\d)", RegexOptions.IgnoreCase)]
    private static partial Regex LimitNumber();

    [GeneratedRegex(@"\d[\d,]*\d|\d")]
    private static partial Regex AnyNumber();
}
