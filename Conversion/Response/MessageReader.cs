using System.Text;
using System.Text.Json;
using static Vdm.Conversion.Response.ChatCompletionReader;

namespace Vdm.Conversion.Response;

/// <summary>Reads <c>choices[0].message</c>: text, refusal, the reasoning extensions, and tool calls.</summary>
internal static class MessageReader
{
    public static void Read(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartObject, "choices[0].message: must be an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                parts.Content = ReadContent(ref reader);
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                parts.Refusal = OptionalString(ref reader, "choices[0].message.refusal");
            }
            else if (reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                parts.ReasoningContent = LenientString(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                parts.Reasoning = LenientString(ref reader);
            }
            else if (reader.ValueTextEquals("reasoning_details"u8))
            {
                reader.Read();
                ReadReasoningDetails(ref reader, parts);
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                ReadToolCalls(ref reader, parts);
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                // The deprecated single-call form; it carries no id.
                reader.Read();
                if (reader.TokenType != JsonTokenType.Null)
                {
                    parts.ToolCalls.Add(ReadFunction(ref reader, null, "choices[0].message.function_call"));
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>A string, or the concatenated <c>text</c> of an array of parts (some servers answer in parts).</summary>
    private static string? ReadContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.String => reader.GetString(),
                _ => throw Shape("choices[0].message.content: must be a string, an array of parts or null"),
            };
        }

        var text = new StringBuilder();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, "choices[0].message.content: each part must be an object");
            string? type = null, partText = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type = LenientString(ref reader);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    partText = LenientString(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (type is null or "text")
            {
                text.Append(partText);
            }
        }

        return text.ToString();
    }

    /// <summary>OpenRouter's reasoning entries: <c>reasoning.text</c> (with an optional signature) and <c>reasoning.summary</c>.</summary>
    private static void ReadReasoningDetails(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var text = new StringBuilder();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("summary"u8);
                var isSignature = reader.ValueTextEquals("signature"u8);
                reader.Read();
                if (isText)
                {
                    text.Append(LenientString(ref reader));
                }
                else if (isSignature && LenientString(ref reader) is { Length: > 0 } signature)
                {
                    parts.ReasoningSignature ??= signature;
                }

                reader.Skip();
            }
        }

        parts.ReasoningDetailsText = text.ToString();
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray, "choices[0].message.tool_calls: must be an array");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var field = $"choices[0].message.tool_calls[{parts.ToolCalls.Count}]";
            Expect(ref reader, JsonTokenType.StartObject, $"{field}: must be an object");
            string? id = null;
            ToolCallPart? call = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = OptionalString(ref reader, $"{field}.id");
                }
                else if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    call = ReadFunction(ref reader, null, $"{field}.function");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (call is null)
            {
                throw Shape($"{field}: has no function");
            }

            parts.ToolCalls.Add(call with { Id = string.IsNullOrEmpty(id) ? null : id });
        }
    }

    private static ToolCallPart ReadFunction(ref Utf8JsonReader reader, string? id, string field)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"{field}: must be an object");
        string? name = null;
        var input = ToolArguments.EmptyObject;
        string? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = OptionalString(ref reader, $"{field}.name");
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                problem = ReadArguments(ref reader, field, out input);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            throw Shape($"{field}.name: is missing");
        }

        if (problem is not null)
        {
            throw Shape(new ConversionError(
                AnthropicErrorTypes.Api,
                $"upstream returned invalid tool arguments for {name}: {problem}"));
        }

        return new ToolCallPart(id, name, input);
    }

    /// <summary>Returns why the arguments cannot become <c>input</c>, or null with <paramref name="input"/> set.</summary>
    private static string? ReadArguments(ref Utf8JsonReader reader, string field, out byte[] input)
    {
        input = ToolArguments.EmptyObject;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartObject:
                // Some servers send the object itself rather than its text (peers.md §3.3 item 47).
                input = ToolArguments.CopyObject(ref reader);
                return null;
            case JsonTokenType.String:
                var raw = StringBytes(ref reader);
                if (ToolArguments.TryNormalize(raw, out input, out var problem))
                {
                    return null;
                }

                return $"{problem} ({Excerpt(raw)})";
            default:
                throw Shape($"{field}.arguments: must be a string or an object");
        }
    }

    /// <summary>The start of text the model wrote, so a user can see what went wrong without a log dive.</summary>
    private static string Excerpt(byte[] raw)
    {
        const int Limit = 120;
        var text = Encoding.UTF8.GetString(raw);
        return text.Length <= Limit ? text : string.Concat(text.AsSpan(0, Limit), "…");
    }
}
