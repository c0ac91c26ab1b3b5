using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// The top-level fields of an Anthropic Messages request. Unknown fields are noted, since nothing a client sends may
/// vanish without a word.
/// </summary>
internal readonly record struct RequestFields(
    JsonElement System,
    JsonElement Messages,
    JsonElement MaxTokens,
    JsonElement Temperature,
    JsonElement TopP,
    JsonElement TopK,
    JsonElement StopSequences,
    JsonElement Stream,
    JsonElement Tools,
    JsonElement ToolChoice,
    JsonElement Thinking,
    JsonElement OutputFormat,
    JsonElement OutputConfig)
{
    public static RequestFields Read(JsonElement body, ConversionContext context)
    {
        if (!JsonValues.IsObject(body))
        {
            throw new InvalidRequestException("The request body must be a JSON object.");
        }

        JsonElement system = default, messages = default, maxTokens = default, temperature = default, topP = default, topK = default,
            stopSequences = default, stream = default, tools = default, toolChoice = default, thinking = default,
            outputFormat = default, outputConfig = default;
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("messages"u8)) { messages = property.Value; }
            else if (property.NameEquals("system"u8)) { system = property.Value; }
            else if (property.NameEquals("max_tokens"u8)) { maxTokens = property.Value; }
            else if (property.NameEquals("temperature"u8)) { temperature = property.Value; }
            else if (property.NameEquals("top_p"u8)) { topP = property.Value; }
            else if (property.NameEquals("top_k"u8)) { topK = property.Value; }
            else if (property.NameEquals("stop_sequences"u8)) { stopSequences = property.Value; }
            else if (property.NameEquals("stream"u8)) { stream = property.Value; }
            else if (property.NameEquals("tools"u8)) { tools = property.Value; }
            else if (property.NameEquals("tool_choice"u8)) { toolChoice = property.Value; }
            else if (property.NameEquals("thinking"u8)) { thinking = property.Value; }
            else if (property.NameEquals("output_format"u8)) { outputFormat = property.Value; }
            else if (property.NameEquals("output_config"u8)) { outputConfig = property.Value; }
            else if (property.NameEquals("model"u8) || property.NameEquals("metadata"u8))
            {
                // The model is the routed one; metadata.user_id is Claude Code's account and session id, which is
                // not forwarded to third parties (peers.md §3.2 item 32).
            }
            else
            {
                context.Notes.Add($"{property.Name}: ignored, OpenAI-format providers have no equivalent");
            }
        }

        if (messages.ValueKind == JsonValueKind.Undefined)
        {
            throw new InvalidRequestException("messages: is required");
        }

        return new RequestFields(
            system, messages, maxTokens, temperature, topP, topK, stopSequences, stream, tools, toolChoice, thinking, outputFormat, outputConfig);
    }
}
