using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Writes Anthropic <c>system</c> and <c>messages</c> as OpenAI chat messages (peers.md §3.1): tool results become
/// <c>tool</c> messages placed right after the assistant turn that called them, images inside tool results move to
/// a user message after them, and text is copied without being decoded.
/// </summary>
internal sealed class MessageWriter(Utf8JsonWriter writer, ConversionBuffers buffers, ConversionContext context)
{
    public void WriteSystem(ReadOnlySpan<byte> system)
    {
        if (JsonValues.IsNull(system))
        {
            return;
        }

        if (JsonValues.IsString(system))
        {
            if (system.Length > 2)
            {
                WriteMessage("system"u8, system);
            }

            return;
        }

        if (!JsonValues.IsArray(system))
        {
            throw new InvalidRequestException("system: must be a string or an array of text blocks");
        }

        var text = buffers.Text;
        JoinedString.Start(text);
        var blocks = new JsonArrayCursor(system);
        while (blocks.MoveNext())
        {
            var block = ContentBlock.Read(blocks.Current, $"system[{blocks.Index}]");

            // Claude Code's per-version billing line is noise upstream and defeats prefix caching (peers.md §3.1 item 3).
            if (block.IsNonEmptyText && !JsonValues.Inner(block.Text).StartsWith("x-anthropic-billing-header:"u8))
            {
                JoinedString.Append(text, block.Text, "\\n\\n"u8);
            }
        }

        if (!JoinedString.IsEmpty(text))
        {
            WriteMessage("system"u8, JoinedString.Finish(text));
        }
    }

    public void WriteMessages(ReadOnlySpan<byte> messages)
    {
        if (!JsonValues.IsArray(messages))
        {
            throw new InvalidRequestException("messages: must be an array of messages");
        }

        var cursor = new JsonArrayCursor(messages);
        while (cursor.MoveNext())
        {
            var path = $"messages[{cursor.Index}]";
            if (!JsonValues.IsObject(cursor.Current))
            {
                throw new InvalidRequestException($"{path}: must be an object with role and content");
            }

            ReadOnlySpan<byte> role = default, content = default;
            var fields = new JsonObjectCursor(cursor.Current);
            while (fields.MoveNext())
            {
                if (fields.NameIs("role"u8)) { role = fields.Value; }
                else if (fields.NameIs("content"u8)) { content = fields.Value; }
            }

            if (JsonValues.StringEquals(role, "user"u8))
            {
                WriteUser(content, path);
            }
            else if (JsonValues.StringEquals(role, "assistant"u8))
            {
                WriteAssistant(content, path);
            }
            else
            {
                throw new InvalidRequestException($"{path}.role: must be \"user\" or \"assistant\"");
            }
        }
    }

    private void WriteUser(ReadOnlySpan<byte> content, string path)
    {
        if (JsonValues.IsString(content))
        {
            WriteMessage("user"u8, content);
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
                WriteMessage("user"u8, "\"\""u8);
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

    private ReadOnlySpan<byte> JoinTexts(ReadOnlySpan<byte> content)
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

    private void WriteParts(ReadOnlySpan<byte> content, string path)
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
                writer.WriteRawValue(block.Text, skipInputValidation: true);
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
        writer.WritePropertyName("tool_call_id"u8);
        writer.WriteRawValue(block.ToolUseId, skipInputValidation: true);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(JoinedString.Finish(text), skipInputValidation: true);
        writer.WriteEndObject();
        return images;
    }

    private void WriteAssistant(ReadOnlySpan<byte> content, string path)
    {
        if (JsonValues.IsString(content))
        {
            WriteMessage("assistant"u8, content);
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

    private void WriteMessage(ReadOnlySpan<byte> role, ReadOnlySpan<byte> contentString)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(contentString, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
