using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vdm.Conversion.Response;

/// <summary>What an upstream error body says, whatever its shape.</summary>
/// <param name="Message">A short, single-line human message without stack traces; null when the body had none.</param>
/// <param name="AnthropicType">The error type from an Anthropic-shaped body, when it is one Anthropic defines.</param>
/// <param name="Code">The upstream's error code as text (OpenAI's <c>context_length_exceeded</c>, Gemini's <c>429</c>).</param>
/// <param name="NumericCode">The code when it is a number.</param>
internal sealed record UpstreamErrorDetails(string? Message, string? AnthropicType = null, string? Code = null, int? NumericCode = null);

/// <summary>
/// Pulls the message out of an upstream error body (peers.md §3.5 item 86): OpenAI, Gemini (also wrapped in an
/// array), FastAPI <c>detail</c>, Anthropic and bare <c>message</c> JSON, HTML pages, and plain text. This is the
/// cold path and the shapes vary, so it uses a <see cref="JsonDocument"/> rather than a hand-written reader.
/// </summary>
internal static partial class UpstreamErrorBody
{
    public const int MaxMessageLength = 500;

    private static readonly string[] AnthropicTypes =
    [
        AnthropicErrorTypes.InvalidRequest, AnthropicErrorTypes.Authentication, AnthropicErrorTypes.Billing,
        AnthropicErrorTypes.Permission, AnthropicErrorTypes.NotFound, AnthropicErrorTypes.RequestTooLarge,
        AnthropicErrorTypes.RateLimit, AnthropicErrorTypes.Api, AnthropicErrorTypes.Timeout, AnthropicErrorTypes.Overloaded,
    ];

    public static UpstreamErrorDetails Read(ReadOnlySpan<byte> body, string? contentType)
    {
        body = body.Trim(" \t\r\n"u8);
        if (body.IsEmpty)
        {
            return new UpstreamErrorDetails(null);
        }

        if (body[0] is (byte)'{' or (byte)'[' || contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                using var document = JsonDocument.Parse(body.ToArray());
                var details = FromJson(document.RootElement);
                // A body of some unknown shape is shown as it is, so the user still learns something from it.
                return details.Message is null && !IsKnownShape(document.RootElement)
                    ? details with { Message = Clean(Encoding.UTF8.GetString(body)) }
                    : details;
            }
            catch (JsonException)
            {
                // Not JSON after all: read it as text.
            }
        }

        var text = Encoding.UTF8.GetString(body);
        var isHtml = body[0] == (byte)'<' || contentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true;
        return new UpstreamErrorDetails(Clean(isHtml ? FromHtml(text) : text));
    }

    private static bool IsKnownShape(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Object => !root.EnumerateObject().Any() || root.TryGetProperty("error", out _) || root.TryGetProperty("detail", out _),
        JsonValueKind.Array => root.GetArrayLength() == 0 || IsKnownShape(root[0]),
        _ => false,
    };

    private static UpstreamErrorDetails FromJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray())
            {
                if (FromJson(item) is { Message: not null } details)
                {
                    return details;
                }
            }

            return new UpstreamErrorDetails(null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return new UpstreamErrorDetails(root.ValueKind == JsonValueKind.String ? Clean(root.GetString()) : null);
        }

        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return new UpstreamErrorDetails(Clean(error.GetString()));
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                var isAnthropic = String(root, "type") == "error";
                var type = String(error, "type");
                var anthropicType = isAnthropic && type is not null && AnthropicTypes.Contains(type) ? type : null;
                var (code, numeric) = Code(error);
                return new UpstreamErrorDetails(Clean(ErrorObjectMessage(error)), anthropicType, code, numeric);
            }
        }

        if (root.TryGetProperty("detail", out var detail))
        {
            return new UpstreamErrorDetails(Clean(DetailMessage(detail)));
        }

        return new UpstreamErrorDetails(Clean(String(root, "message") ?? String(root, "msg")));
    }

    /// <summary>
    /// OpenAI's and Gemini's <c>message</c>; OpenRouter's generic "Provider returned error" gains the provider's
    /// own text from <c>metadata.raw</c>, which is the part that says what went wrong.
    /// </summary>
    private static string? ErrorObjectMessage(JsonElement error)
    {
        var message = String(error, "message");
        if (error.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
            String(metadata, "raw") is { Length: > 0 } raw)
        {
            var provider = String(metadata, "provider_name");
            var source = provider is null ? "" : $" ({provider})";
            return message is null ? raw : $"{message}{source}: {raw}";
        }

        return message;
    }

    private static (string? Code, int? Numeric) Code(JsonElement error)
    {
        if (!error.TryGetProperty("code", out var code))
        {
            return (null, null);
        }

        return code.ValueKind switch
        {
            JsonValueKind.String => (code.GetString(), null),
            JsonValueKind.Number when code.TryGetInt32(out var number) => (number.ToString(System.Globalization.CultureInfo.InvariantCulture), number),
            _ => (null, null),
        };
    }

    /// <summary>FastAPI: a string, or validation errors <c>[{loc, msg, type}]</c> joined as "loc: msg".</summary>
    private static string? DetailMessage(JsonElement detail)
    {
        switch (detail.ValueKind)
        {
            case JsonValueKind.String:
                return detail.GetString();
            case JsonValueKind.Object:
                return String(detail, "message") ?? String(detail, "msg") ?? String(detail, "error");
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var item in detail.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(item.GetString()!);
                    }
                    else if (item.ValueKind == JsonValueKind.Object && String(item, "msg") is { } msg)
                    {
                        var location = item.TryGetProperty("loc", out var loc) && loc.ValueKind == JsonValueKind.Array
                            ? string.Join('.', loc.EnumerateArray().Select(segment => segment.ToString()))
                            : null;
                        parts.Add(string.IsNullOrEmpty(location) ? msg : $"{location}: {msg}");
                    }
                }

                return parts.Count == 0 ? null : string.Join("; ", parts);
            default:
                return null;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The page's title (error pages put the status there), else its visible text.</summary>
    private static string FromHtml(string html)
    {
        if (Title().Match(html) is { Success: true } title && !string.IsNullOrWhiteSpace(title.Groups[1].Value))
        {
            return WebUtility.HtmlDecode(title.Groups[1].Value);
        }

        var visible = Tag().Replace(Invisible().Replace(html, " "), " ");
        return WebUtility.HtmlDecode(visible);
    }

    /// <summary>
    /// One line of at most <see cref="MaxMessageLength"/> characters, without stack frames: a trace leaks server
    /// internals and buries the message (CCR 2 forwards them).
    /// </summary>
    public static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var kept = new StringBuilder();
        var inTraceback = false;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal))
            {
                inTraceback = true;
                continue;
            }

            var indented = line.Length > 0 && char.IsWhiteSpace(line[0]);
            if ((inTraceback && indented) || IsStackFrame(trimmed, indented))
            {
                continue;
            }

            inTraceback = false;
            kept.Append(trimmed).Append(' ');
        }

        var message = Whitespace().Replace(kept.ToString(), " ").Trim();
        if (message.Length == 0)
        {
            return null;
        }

        return message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength - 1), "…");
    }

    // .NET/Java "   at X.Y(...)", Python "  File "x", line 3", Node "    at fn (file.js:1:2)", and .NET's inner-exception marker.
    private static bool IsStackFrame(string trimmed, bool indented) =>
        (indented && trimmed.StartsWith("at ", StringComparison.Ordinal)) ||
        trimmed.StartsWith("File \"", StringComparison.Ordinal) ||
        trimmed.StartsWith("--- End of", StringComparison.Ordinal);

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Title();

    [GeneratedRegex(@"<(script|style|head)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
