using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// An assistant turn: texts joined into <c>content</c>, tool uses as <c>tool_calls</c>, thinking dropped or echoed
/// as <c>reasoning_content</c> where the provider requires it (peers.md §3.1 items 19-22).
/// </summary>
internal sealed class AssistantMessageWriter(Utf8JsonWriter writer, ConversionBuffers buffers, ConversionContext context)
{
    public void Write(JsonElement content, string path)
    {
        if (JsonValues.IsString(content))
        {
            MessageWriter.WriteMessage(writer, "assistant"u8, JsonValues.Raw(content));
            return;
        }

        if (!JsonValues.IsArray(content))
        {
            throw new InvalidRequestException($"{path}.content: must be a string or an array of content blocks");
        }

        var text = buffers.Text;
        var thinking = buffers.Thinking;
        JoinedString.Start(text);
        JoinedString.Start(thinking);
        var toolCalls = 0;

        writer.WriteStartObject();
        writer.WriteString("role"u8, "assistant"u8);
        var blocks = new JsonArrayCursor(content);
        while (blocks.MoveNext())
        {
            var blockPath = $"{path}.content[{blocks.Index}]";
            var block = ContentBlock.Read(blocks.Current, blockPath);
            if (block.IsNonEmptyText)
            {
                JoinedString.Append(text, block.Text, "\\n\\n"u8);
            }
            else if (block.Is("tool_use"u8))
            {
                if (toolCalls++ == 0)
                {
                    writer.WriteStartArray("tool_calls"u8);
                }

                ToolCalls.WriteCall(writer, buffers.Arguments, block, context, blockPath);
            }
            else if (block.Is("thinking"u8))
            {
                // Signed reasoning means nothing to another model; DeepSeek's thinking mode wants its own back (item 22).
                if (context.Profile.EchoReasoningContent && JsonValues.IsString(block.Thinking))
                {
                    JoinedString.Append(thinking, block.Thinking, "\\n\\n"u8);
                }
            }
            else if (!block.Is("redacted_thinking"u8) && !block.Is("text"u8))
            {
                context.Notes.Add($"{blockPath}: dropped a '{block.TypeName}' block, which OpenAI-format providers cannot take");
            }
        }

        if (toolCalls > 0)
        {
            writer.WriteEndArray();
        }

        writer.WritePropertyName("content"u8);
        if (!JoinedString.IsEmpty(text))
        {
            writer.WriteRawValue(JoinedString.Finish(text), skipInputValidation: true);
        }
        else if (toolCalls > 0)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(""u8);
        }

        if (!JoinedString.IsEmpty(thinking))
        {
            writer.WritePropertyName("reasoning_content"u8);
            writer.WriteRawValue(JoinedString.Finish(thinking), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }
}
