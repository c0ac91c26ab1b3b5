using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// A user turn: its tool results become <c>tool</c> messages, which must directly follow the assistant's tool calls
/// (peers.md §3.1 items 12-18), then one user message with the rest; images returned by tools move into it.
/// </summary>
internal sealed class UserMessageWriter(Utf8JsonWriter writer, ConversionBuffers buffers, ConversionContext context)
{
    public void Write(JsonElement content, string path)
    {
        if (JsonValues.IsString(content))
        {
            MessageWriter.WriteMessage(writer, "user"u8, JsonValues.Raw(content));
            return;
        }

        if (!JsonValues.IsArray(content))
        {
            throw new InvalidRequestException($"{path}.content: must be a string or an array of content blocks");
        }

        // First the tool messages, which must follow the assistant's tool calls directly (peers.md §3.1 items 17-18).
        int toolResults = 0, texts = 0, media = 0;
        var blocks = new JsonArrayCursor(content);
        while (blocks.MoveNext())
        {
            var blockPath = $"{path}.content[{blocks.Index}]";
            var block = ContentBlock.Read(blocks.Current, blockPath);
            if (block.Is("tool_result"u8))
            {
                toolResults++;
                media += WriteToolMessage(block, blockPath);
            }
            else if (block.IsNonEmptyText)
            {
                texts++;
            }
            else if (block.Is("image"u8) || block.Is("document"u8))
            {
                media++;
            }
            else if (!block.Is("text"u8))
            {
                context.Notes.Add($"{blockPath}: dropped a '{block.TypeName}' block, which OpenAI-format providers cannot take");
            }
        }

        if (texts + media == 0)
        {
            if (toolResults == 0)
            {
                MessageWriter.WriteMessage(writer, "user"u8, "\"\""u8);
            }

            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "user"u8);
        writer.WritePropertyName("content"u8);
        if (media == 0)
        {
            // Text alone goes as one string: some OpenAI-compatible servers refuse arrays of parts.
            writer.WriteRawValue(JoinTexts(content), skipInputValidation: true);
        }
        else
        {
            WriteParts(content, path);
        }

        writer.WriteEndObject();
    }

    private ReadOnlySpan<byte> JoinTexts(JsonElement content)
    {
        var text = buffers.Text;
        JoinedString.Start(text);
        var blocks = new JsonArrayCursor(content);
        while (blocks.MoveNext())
        {
            var block = ContentBlock.Read(blocks.Current, "");
            if (block.IsNonEmptyText)
            {
                JoinedString.Append(text, block.Text, "\\n\\n"u8);
            }
        }

        return JoinedString.Finish(text);
    }

    private void WriteParts(JsonElement content, string path)
    {
        writer.WriteStartArray();

        // Images returned by tools come first: they belong to the tool results just sent (peers.md §3.1 item 14).
        var blocks = new JsonArrayCursor(content);
        while (blocks.MoveNext())
        {
            var block = ContentBlock.Read(blocks.Current, "");
            if (block.Is("tool_result"u8) && JsonValues.IsArray(block.Content))
            {
                var inner = new JsonArrayCursor(block.Content);
                while (inner.MoveNext())
                {
                    var part = ContentBlock.Read(inner.Current, $"{path}.content[{blocks.Index}].content[{inner.Index}]");
                    if (part.Is("image"u8))
                    {
                        ContentParts.WriteImage(writer, buffers.Text, part.Source, $"{path}.content[{blocks.Index}].content[{inner.Index}]");
                    }
                }
            }
        }

        blocks = new JsonArrayCursor(content);
        while (blocks.MoveNext())
        {
            var blockPath = $"{path}.content[{blocks.Index}]";
            var block = ContentBlock.Read(blocks.Current, blockPath);
            if (block.IsNonEmptyText)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "text"u8);
                writer.WritePropertyName("text"u8);
                writer.WriteRawValue(JsonValues.Raw(block.Text), skipInputValidation: true);
                writer.WriteEndObject();
            }
            else if (block.Is("image"u8))
            {
                ContentParts.WriteImage(writer, buffers.Text, block.Source, blockPath);
            }
            else if (block.Is("document"u8))
            {
                ContentParts.WriteDocument(writer, buffers.Text, block, context, blockPath);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one <c>tool</c> message; returns how many images it held, which go to the next user message.</summary>
    private int WriteToolMessage(ContentBlock block, string path)
    {
        if (!JsonValues.IsString(block.ToolUseId))
        {
            throw new InvalidRequestException($"{path}.tool_use_id: must be a string");
        }

        var images = 0;
        var text = buffers.Text;
        JoinedString.Start(text);

        // OpenAI has no error flag on tool messages, so the model learns of the failure from the text (item 15).
        if (JsonValues.IsTrue(block.IsError))
        {
            text.Write("Error: "u8);
        }

        if (JsonValues.IsString(block.Content))
        {
            text.Write(JsonValues.Inner(block.Content));
        }
        else if (JsonValues.IsArray(block.Content))
        {
            var parts = new JsonArrayCursor(block.Content);
            var first = true;
            while (parts.MoveNext())
            {
                var part = ContentBlock.Read(parts.Current, $"{path}.content[{parts.Index}]");
                if (part.Is("text"u8) && JsonValues.IsString(part.Text))
                {
                    if (!first)
                    {
                        text.Write("\\n"u8);
                    }

                    text.Write(JsonValues.Inner(part.Text));
                    first = false;
                }
                else if (part.Is("image"u8))
                {
                    images++;
                }
                else
                {
                    context.Notes.Add($"{path}.content[{parts.Index}]: dropped a '{part.TypeName}' block inside a tool result");
                }
            }

            if (first && images > 0)
            {
                text.Write("[image]"u8);
            }
        }
        else if (!JsonValues.IsNull(block.Content))
        {
            throw new InvalidRequestException($"{path}.content: must be a string or an array of content blocks");
        }

        writer.WriteStartObject();
        writer.WriteString("role"u8, "tool"u8);
        ToolIds.Write(writer, "tool_call_id"u8, block.ToolUseId, context);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(JoinedString.Finish(text), skipInputValidation: true);
        writer.WriteEndObject();
        return images;
    }
}
