using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// A local estimate of a Messages request's input tokens, for <c>count_tokens</c> on providers that have no such
/// endpoint (OpenAI-format ones). It counts what the model reads: the system prompt, every message's text, tool calls
/// (name and arguments) and tool results, images, and the tool definitions (name, description, input schema).
/// </summary>
/// <remarks>
/// <para>Method. Text is weighed in "ASCII-byte equivalents" and divided by <see cref="BytesPerToken"/> (4.9,
/// calibrated against OpenAI's o200k tokenizer, see below): an ASCII character weighs 1, a two-byte UTF-8
/// character (accented Latin, Cyrillic, Greek) 2, a three-byte one (CJK, most other scripts) a whole token, since
/// those tokenizers give such characters about one token each, and a character outside the BMP (emoji) one and a
/// half. JSON (tool arguments, input schemas, blocks vdm does not know) is weighed the same over its compact text and
/// then by <see cref="JsonWeight"/>, because punctuation and short keys tokenize denser than prose. Fixed overheads
/// stand for the role and block framing the model sees: <see cref="RequestOverhead"/> once,
/// <see cref="MessageOverhead"/> per message, <see cref="BlockOverhead"/> per content block,
/// <see cref="ToolUseOverhead"/> per tool call or result, <see cref="ToolOverhead"/> per tool definition and
/// <see cref="ToolsPreamble"/> once when there are tools. An image counts width × height / 750 after Anthropic's
/// downscaling (long edge at most 1568 px, at most ~1.15 megapixels), read from the PNG, GIF, JPEG or WebP header of
/// base64 data; <see cref="UnknownImageTokens"/> when its size is unknown (URLs, other formats). A base64 or URL
/// document (PDF) counts <see cref="UnknownImageTokens"/> — real PDFs cost 1,500–3,000 tokens a page, so multi-page
/// documents are underestimated. Thinking blocks are not counted: Anthropic ignores earlier turns' thinking, and the
/// OpenAI conversion does not send it.</para>
/// <para>Expected error. The count is for an OpenAI-format provider, so it is calibrated against the real tokenizer
/// of the most common one: o200k (GPT-4o and later), measured in <c>TokenEstimatorAccuracyTests</c>. On the
/// 93 KB Claude Code request (<c>tests/Fixtures/claude-code-request.json</c>) the estimate is within 1% of o200k's
/// count of its text; on short English messages within 20% plus a few tokens of framing. Other providers'
/// tokenizers (Qwen, DeepSeek, Gemini) are of similar density for English; Claude's counts about a third more for
/// the same text. It never reads past the request and is monotonic: more text never gives fewer tokens.</para>
/// </remarks>
internal static class TokenEstimator
{
    public const double BytesPerToken = 4.9;
    public const double JsonWeight = 1.2;
    public const int RequestOverhead = 4;
    public const int MessageOverhead = 3;
    public const int BlockOverhead = 1;
    public const int ToolUseOverhead = 6;
    public const int ToolOverhead = 10;
    public const int ToolsPreamble = 20;
    public const int UnknownImageTokens = 1600;

    /// <summary>Estimates the input tokens of a Messages request body; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static int Estimate(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 512 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The request body must be a JSON object.");
        }

        var count = new Tally();
        count.Fixed(RequestOverhead);
        if (root.TryGetProperty("system", out var system))
        {
            count.Fixed(MessageOverhead);
            Content(system, ref count);
        }

        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                count.Fixed(MessageOverhead);
                if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
                {
                    Content(content, ref count);
                }
            }
        }

        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            count.Fixed(ToolsPreamble);
            foreach (var tool in tools.EnumerateArray())
            {
                Tool(tool, ref count);
            }
        }

        return count.Total;
    }

    /// <summary>Weighs text in ASCII-byte equivalents (see the remarks).</summary>
    public static double TextUnits(ReadOnlySpan<char> text)
    {
        double units = 0;
        foreach (var c in text)
        {
            units += c switch
            {
                < '\u0080' => 1,
                < '\u0800' => 2,
                >= '\uD800' and <= '\uDBFF' => BytesPerToken * 1.5,
                >= '\uDC00' and <= '\uDFFF' => 0,
                _ => BytesPerToken,
            };
        }

        return units;
    }

    /// <summary>A string, or an array of content blocks (system, message content, tool result content).</summary>
    private static void Content(JsonElement content, ref Tally count)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            count.Text(content.GetString());
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            count.Json(content);
            return;
        }

        foreach (var block in content.EnumerateArray())
        {
            Block(block, ref count);
        }
    }

    private static void Block(JsonElement block, ref Tally count)
    {
        if (block.ValueKind == JsonValueKind.String)
        {
            count.Text(block.GetString());
            return;
        }

        count.Fixed(BlockOverhead);
        var type = block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        switch (type)
        {
            case "text":
                count.Text(StringOf(block, "text"));
                break;
            case "thinking" or "redacted_thinking":
                break;
            case "image":
                count.Fixed(ImageTokens.Estimate(block.TryGetProperty("source", out var source) ? source : default));
                break;
            case "tool_use" or "server_tool_use":
                count.Fixed(ToolUseOverhead);
                count.Text(StringOf(block, "name"));
                if (block.TryGetProperty("input", out var input))
                {
                    count.Json(input);
                }

                break;
            case "tool_result":
                count.Fixed(ToolUseOverhead);
                if (block.TryGetProperty("content", out var result))
                {
                    Content(result, ref count);
                }

                break;
            case "document":
                Document(block, ref count);
                break;
            default:
                count.Json(block);
                break;
        }
    }

    private static void Document(JsonElement block, ref Tally count)
    {
        count.Text(StringOf(block, "title"));
        count.Text(StringOf(block, "context"));
        if (!block.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            count.Fixed(UnknownImageTokens);
            return;
        }

        switch (StringOf(source, "type"))
        {
            case "text":
                count.Text(StringOf(source, "data"));
                break;
            case "content" when source.TryGetProperty("content", out var content):
                Content(content, ref count);
                break;
            default:
                count.Fixed(UnknownImageTokens);
                break;
        }
    }

    private static void Tool(JsonElement tool, ref Tally count)
    {
        count.Fixed(ToolOverhead);
        if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("input_schema", out var schema))
        {
            // A server tool (web search, code execution, …): its definition is all there is to weigh.
            count.Json(tool);
            return;
        }

        count.Text(StringOf(tool, "name"));
        count.Text(StringOf(tool, "description"));
        count.Json(schema);
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>JSON's compact text, weighed as text: quotes, colons, commas and brackets at one unit each.</summary>
    private static double JsonUnits(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                double units = 2;
                foreach (var property in element.EnumerateObject())
                {
                    units += TextUnits(property.Name) + 4 + JsonUnits(property.Value);
                }

                return units;
            case JsonValueKind.Array:
                double items = 2;
                foreach (var item in element.EnumerateArray())
                {
                    items += 1 + JsonUnits(item);
                }

                return items;
            case JsonValueKind.String:
                return 2 + TextUnits(element.GetString());
            case JsonValueKind.True or JsonValueKind.Null:
                return 4;
            case JsonValueKind.False:
                return 5;
            case JsonValueKind.Number:
                return element.GetRawText().Length;
            default:
                return 0;
        }
    }

    /// <summary>The running count: fractional text units, rounded up once at the end so the total is monotonic.</summary>
    private struct Tally
    {
        private double _units;
        private long _fixed;

        public readonly int Total => (int)Math.Min(int.MaxValue, _fixed + (long)Math.Ceiling(_units / BytesPerToken));

        public void Fixed(int tokens) => _fixed += tokens;

        public void Text(string? text) => _units += text is null ? 0 : TextUnits(text);

        public void Json(JsonElement element) => _units += JsonUnits(element) * JsonWeight;
    }
}
