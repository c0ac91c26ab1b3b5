using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// The shape of a Chat Completions body, checked before it is routed: <c>model</c> and <c>messages</c> present,
/// each message an object with a string <c>role</c>, and the JSON kind of the common top-level fields. The messages
/// say what OpenAI's own API says (<c>Invalid type for 'messages[0].role': expected a string, but got a number
/// instead.</c>). The body goes upstream as the client wrote it, so anything finer (roles, part types, an empty
/// message list) is left to the provider. It makes no string unless it fails.
/// </summary>
internal static class ChatCompletionsRequestValidation
{
    /// <summary>Null for a well-formed body, or the problem, naming the field.</summary>
    /// <param name="root">The parsed body, a JSON object.</param>
    public static string? Problem(JsonElement root)
    {
        bool sawModel = false, sawMessages = false;
        foreach (var field in root.EnumerateObject())
        {
            var value = field.Value;
            if (field.NameEquals("model"u8))
            {
                sawModel = true;
                if (value.ValueKind != JsonValueKind.String)
                {
                    return InvalidType("model", "a string", value);
                }
            }
            else if (field.NameEquals("messages"u8))
            {
                sawMessages = true;
                if (MessagesProblem(value) is { } problem)
                {
                    return problem;
                }
            }
            else if (value.ValueKind != JsonValueKind.Null && KindProblem(field) is { } problem)
            {
                return problem;
            }
        }

        return !sawModel ? "Missing required parameter: 'model'."
            : !sawMessages ? "Missing required parameter: 'messages'."
            : null;
    }

    /// <summary>The optional top-level fields vdm or every provider reads: each may be null, or of its kind.</summary>
    private static string? KindProblem(JsonProperty field)
    {
        var value = field.Value;
        var kind = value.ValueKind;
        if (field.NameEquals("stream"u8) || field.NameEquals("parallel_tool_calls"u8) || field.NameEquals("logprobs"u8))
        {
            return kind is JsonValueKind.True or JsonValueKind.False ? null : InvalidType(field.Name, "a boolean", value);
        }

        if (field.NameEquals("temperature"u8) || field.NameEquals("top_p"u8) || field.NameEquals("presence_penalty"u8)
            || field.NameEquals("frequency_penalty"u8))
        {
            return kind == JsonValueKind.Number ? null : InvalidType(field.Name, "a number", value);
        }

        if (field.NameEquals("max_tokens"u8) || field.NameEquals("max_completion_tokens"u8) || field.NameEquals("n"u8)
            || field.NameEquals("seed"u8))
        {
            return kind == JsonValueKind.Number && value.TryGetInt64(out _) ? null : InvalidType(field.Name, "an integer", value);
        }

        if (field.NameEquals("stop"u8))
        {
            return kind is JsonValueKind.String or JsonValueKind.Array ? null : InvalidType("stop", "a string or an array of strings", value);
        }

        if (field.NameEquals("tools"u8))
        {
            return kind == JsonValueKind.Array ? null : InvalidType("tools", "an array", value);
        }

        if (field.NameEquals("tool_choice"u8))
        {
            return kind is JsonValueKind.String or JsonValueKind.Object ? null : InvalidType("tool_choice", "a string or an object", value);
        }

        if (field.NameEquals("response_format"u8) || field.NameEquals("stream_options"u8) || field.NameEquals("metadata"u8))
        {
            return kind == JsonValueKind.Object ? null : InvalidType(field.Name, "an object", value);
        }

        if (field.NameEquals("user"u8))
        {
            return kind == JsonValueKind.String ? null : InvalidType("user", "a string", value);
        }

        return null;
    }

    private static string? MessagesProblem(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return InvalidType("messages", "an array", messages);
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return InvalidType($"messages[{index}]", "an object", message);
            }

            if (!message.TryGetProperty("role"u8, out var role))
            {
                return $"Missing required parameter: 'messages[{index}].role'.";
            }

            if (role.ValueKind != JsonValueKind.String)
            {
                return InvalidType($"messages[{index}].role", "a string", role);
            }

            if (message.TryGetProperty("content"u8, out var content)
                && content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null))
            {
                return InvalidType($"messages[{index}].content", "a string or an array of content parts", content);
            }

            index++;
        }

        return null;
    }

    private static string InvalidType(string field, string expected, JsonElement value) =>
        $"Invalid type for '{field}': expected {expected}, but got {KindName(value)} instead.";

    private static string KindName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a decimal number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };
}
