using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// The shape of an Anthropic Messages body, checked before it is routed anywhere: the required fields, the JSON
/// kind of every top-level field vdm or Anthropic reads, and each message's role and content. What it refuses would
/// fail upstream anyway, or worse, fail half-way through a conversion; the message names the field the way
/// Anthropic's own API does (<c>messages.0.role: …</c>). Deeper values (block fields, tool inputs) are the
/// conversion's to check. It runs on every request, so it makes no string unless it fails.
/// </summary>
internal static class MessagesRequestValidation
{
    /// <summary>Null for a well-formed body, or the problem, naming the field.</summary>
    /// <param name="root">The parsed body, a JSON object.</param>
    /// <param name="maxTokensRequired">True on <c>/v1/messages</c>; <c>count_tokens</c> takes no <c>max_tokens</c>.</param>
    public static string? Problem(JsonElement root, bool maxTokensRequired)
    {
        bool sawModel = false, sawMessages = false, sawMaxTokens = false;

        // One pass over the fields, so that a field given twice is checked each time, whichever one a reader keeps.
        foreach (var field in root.EnumerateObject())
        {
            var value = field.Value;
            var kind = value.ValueKind;
            if (field.NameEquals("model"u8))
            {
                sawModel = true;
                if (kind != JsonValueKind.String)
                {
                    return "model: Input should be a valid string";
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
            else if (field.NameEquals("max_tokens"u8))
            {
                sawMaxTokens = true;
                if ((maxTokensRequired || kind != JsonValueKind.Null) && !(kind == JsonValueKind.Number && value.TryGetInt64(out var maxTokens) && maxTokens >= 1))
                {
                    return "max_tokens: must be a positive integer";
                }
            }
            else if (KindProblem(field, kind) is { } problem)
            {
                return problem;
            }
        }

        return !sawModel ? "model: Field required"
            : !sawMessages ? "messages: Field required"
            : maxTokensRequired && !sawMaxTokens ? "max_tokens: Field required"
            : null;
    }

    /// <summary>The optional top-level fields: each may be null, or of its one kind.</summary>
    private static string? KindProblem(JsonProperty field, JsonValueKind kind)
    {
        if (kind == JsonValueKind.Null)
        {
            return null;
        }

        if (field.NameEquals("stream"u8))
        {
            return kind is JsonValueKind.True or JsonValueKind.False ? null : "stream: Input should be a valid boolean";
        }

        if (field.NameEquals("temperature"u8) || field.NameEquals("top_p"u8) || field.NameEquals("top_k"u8))
        {
            return kind == JsonValueKind.Number ? null : $"{field.Name}: Input should be a valid number";
        }

        if (field.NameEquals("system"u8))
        {
            return kind is not (JsonValueKind.String or JsonValueKind.Array) ? "system: Input should be a valid string or list of text blocks"
                : kind == JsonValueKind.Array && FirstNotOfKind(field.Value, JsonValueKind.Object) is >= 0 and var at ? $"system.{at}: Input should be a valid object"
                : null;
        }

        if (field.NameEquals("stop_sequences"u8))
        {
            return kind != JsonValueKind.Array ? "stop_sequences: Input should be a valid list"
                : FirstNotOfKind(field.Value, JsonValueKind.String) is >= 0 and var at ? $"stop_sequences.{at}: Input should be a valid string"
                : null;
        }

        if (field.NameEquals("tools"u8))
        {
            return kind != JsonValueKind.Array ? "tools: Input should be a valid list"
                : FirstNotOfKind(field.Value, JsonValueKind.Object) is >= 0 and var at ? $"tools.{at}: Input should be a valid object"
                : null;
        }

        if (field.NameEquals("tool_choice"u8) || field.NameEquals("metadata"u8) || field.NameEquals("thinking"u8))
        {
            return kind == JsonValueKind.Object ? null : $"{field.Name}: Input should be a valid object";
        }

        return null;
    }

    private static string? MessagesProblem(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return "messages: Input should be a valid list";
        }

        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (MessageProblem(message) is { } problem)
            {
                return $"messages.{index}{problem}";
            }

            index++;
        }

        return index == 0 ? "messages: at least one message is required" : null;
    }

    /// <summary>The problem with one message, as the rest of its path (<c>.role: …</c>), or null.</summary>
    private static string? MessageProblem(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return ": Input should be a valid object";
        }

        message.TryGetProperty("role"u8, out var role);
        message.TryGetProperty("content"u8, out var content);
        // System turns inside the conversation are newer Anthropic (Claude Code 2.1 sends them under its beta flags).
        if (role.ValueKind != JsonValueKind.String || (!role.ValueEquals("user"u8) && !role.ValueEquals("assistant"u8) && !role.ValueEquals("system"u8)))
        {
            return role.ValueKind == JsonValueKind.Undefined ? ".role: Field required" : ".role: Input should be 'user', 'assistant' or 'system'";
        }

        return content.ValueKind switch
        {
            JsonValueKind.Undefined => ".content: Field required",
            JsonValueKind.String => null,
            JsonValueKind.Array => BlocksProblem(content),
            _ => ".content: Input should be a valid string or list of content blocks",
        };
    }

    /// <summary>Each content block must at least be an object that says its type.</summary>
    private static string? BlocksProblem(JsonElement blocks)
    {
        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object)
            {
                return $".content.{index}: Input should be a valid content block object";
            }

            if (!block.TryGetProperty("type"u8, out var type) || type.ValueKind != JsonValueKind.String)
            {
                return $".content.{index}.type: " + (type.ValueKind == JsonValueKind.Undefined ? "Field required" : "Input should be a valid string");
            }

            index++;
        }

        return null;
    }

    /// <summary>The index of the first element not of <paramref name="kind"/>, or -1.</summary>
    private static int FirstNotOfKind(JsonElement array, JsonValueKind kind)
    {
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != kind)
            {
                return index;
            }

            index++;
        }

        return -1;
    }
}
