using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Writes Anthropic <c>system</c> and <c>messages</c> as OpenAI chat messages (peers.md §3.1), handing each turn to
/// the writer for its role. Text is copied without being decoded.
/// </summary>
internal sealed class MessageWriter(Utf8JsonWriter writer, ConversionBuffers buffers, ConversionContext context)
{
    private readonly UserMessageWriter _user = new(writer, buffers, context);
    private readonly AssistantMessageWriter _assistant = new(writer, buffers, context);

    public void WriteSystem(JsonElement system) => WriteSystem(system, "system");

    /// <summary>
    /// The system prompt, with the conversation's <c>system</c> turns joined to it when the provider cannot take them in
    /// place (<see cref="ProviderProfile.SystemTurnsInPlace"/>): many chat templates (Mistral's, most local servers')
    /// refuse a system message anywhere but first.
    /// </summary>
    public void WriteSystem(JsonElement system, JsonElement messages)
    {
        if (context.Profile.SystemTurnsInPlace || !JsonValues.IsArray(messages) || !HasSystemTurn(messages))
        {
            WriteSystem(system);
            return;
        }

        var text = buffers.Text;
        JoinedString.Start(text);
        AppendSystem(text, system, "system");
        var cursor = new JsonArrayCursor(messages);
        while (cursor.MoveNext())
        {
            var message = cursor.Current;
            if (JsonValues.IsObject(message) && message.TryGetProperty("role"u8, out var role) && JsonValues.StringEquals(role, "system"u8)
                && message.TryGetProperty("content"u8, out var content))
            {
                AppendSystem(text, content, $"messages[{cursor.Index}].content");
            }
        }

        if (!JoinedString.IsEmpty(text))
        {
            WriteMessage(writer, "system"u8, JoinedString.Finish(text));
        }
    }

    /// <summary>A system prompt, top-level or a <c>system</c> turn inside <c>messages</c> (<paramref name="path"/> names it in errors).</summary>
    private void WriteSystem(JsonElement system, string path)
    {
        if (JsonValues.IsNull(system))
        {
            return;
        }

        if (JsonValues.IsString(system))
        {
            if (JsonValues.HasText(system))
            {
                WriteMessage(writer, "system"u8, JsonValues.Raw(system));
            }

            return;
        }

        if (!JsonValues.IsArray(system))
        {
            throw new InvalidRequestException($"{path}: must be a string or an array of text blocks");
        }

        var text = buffers.Text;
        JoinedString.Start(text);
        AppendSystem(text, system, path);
        if (!JoinedString.IsEmpty(text))
        {
            WriteMessage(writer, "system"u8, JoinedString.Finish(text));
        }
    }

    /// <summary>A system prompt's text (a string, or text blocks) joined to <paramref name="text"/> with a blank line.</summary>
    private static void AppendSystem(PooledBufferWriter text, JsonElement system, string path)
    {
        if (JsonValues.IsNull(system))
        {
            return;
        }

        if (JsonValues.IsString(system))
        {
            if (JsonValues.HasText(system))
            {
                JoinedString.Append(text, system, "\\n\\n"u8);
            }

            return;
        }

        if (!JsonValues.IsArray(system))
        {
            throw new InvalidRequestException($"{path}: must be a string or an array of text blocks");
        }

        var blocks = new JsonArrayCursor(system);
        while (blocks.MoveNext())
        {
            var block = ContentBlock.Read(blocks.Current, $"{path}[{blocks.Index}]");

            // Claude Code's per-version billing line is noise upstream and defeats prefix caching (peers.md §3.1 item 3).
            if (block.IsNonEmptyText && !JsonValues.Inner(block.Text).StartsWith("x-anthropic-billing-header:"u8))
            {
                JoinedString.Append(text, block.Text, "\\n\\n"u8);
            }
        }
    }

    private static bool HasSystemTurn(JsonElement messages)
    {
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role"u8, out var role) && role.ValueEquals("system"u8))
            {
                return true;
            }
        }

        return false;
    }

    public void WriteMessages(JsonElement messages)
    {
        if (!JsonValues.IsArray(messages))
        {
            throw new InvalidRequestException("messages: must be an array of messages");
        }

        var cursor = new JsonArrayCursor(messages);
        var callsPending = false;
        (JsonElement Content, string Path)? deferred = null;
        while (cursor.MoveNext())
        {
            var path = $"messages[{cursor.Index}]";
            if (!JsonValues.IsObject(cursor.Current))
            {
                throw new InvalidRequestException($"{path}: must be an object with role and content");
            }

            JsonElement role = default, content = default;
            var fields = new JsonObjectCursor(cursor.Current);
            while (fields.MoveNext())
            {
                if (fields.NameIs("role"u8)) { role = fields.Value; }
                else if (fields.NameIs("content"u8)) { content = fields.Value; }
            }

            if (JsonValues.StringEquals(role, "user"u8))
            {
                _user.Write(content, path);
                callsPending = false;
                if (deferred is { } held)
                {
                    WriteSystem(held.Content, held.Path);
                    deferred = null;
                }
            }
            else if (JsonValues.StringEquals(role, "assistant"u8))
            {
                _assistant.Write(content, path);
                callsPending = HasToolUse(content);
            }
            else if (JsonValues.StringEquals(role, "system"u8))
            {
                if (!context.Profile.SystemTurnsInPlace)
                {
                    // Already joined to the system prompt (WriteSystem).
                    continue;
                }

                // Claude Code 2.1 sends system turns inside the conversation (per-turn instructions): a system message
                // at the same place is what Chat Completions has for them — except between a tool call and its results,
                // which must follow it directly: there it waits until the results are written.
                if (callsPending && deferred is null)
                {
                    deferred = (content, path + ".content");
                    continue;
                }

                WriteSystem(content, path + ".content");
            }
            else
            {
                throw new InvalidRequestException($"{path}.role: must be \"user\", \"assistant\" or \"system\"");
            }
        }

        if (deferred is { } last)
        {
            WriteSystem(last.Content, last.Path);
        }
    }

    /// <summary>Whether an assistant turn calls tools (its results must come right after it).</summary>
    private static bool HasToolUse(JsonElement content)
    {
        if (!JsonValues.IsArray(content))
        {
            return false;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type"u8, out var type) && type.ValueEquals("tool_use"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A message whose content is one string value, copied as written.</summary>
    internal static void WriteMessage(Utf8JsonWriter writer, ReadOnlySpan<byte> role, ReadOnlySpan<byte> contentString)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(contentString, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
