using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>The fields of one Anthropic content block that conversion reads (each <c>default</c> when absent).</summary>
internal readonly record struct ContentBlock(
    JsonElement Type,
    JsonElement Text,
    JsonElement Source,
    JsonElement Id,
    JsonElement Name,
    JsonElement Input,
    JsonElement ToolUseId,
    JsonElement Content,
    JsonElement IsError,
    JsonElement Thinking,
    JsonElement Title)
{
    public static ContentBlock Read(JsonElement json, string path)
    {
        if (!JsonValues.IsObject(json))
        {
            throw new InvalidRequestException($"{path}: must be a content block object");
        }

        JsonElement type = default, text = default, source = default, id = default, name = default, input = default,
            toolUseId = default, content = default, isError = default, thinking = default, title = default;
        foreach (var property in json.EnumerateObject())
        {
            if (property.NameEquals("type"u8)) { type = property.Value; }
            else if (property.NameEquals("text"u8)) { text = property.Value; }
            else if (property.NameEquals("source"u8)) { source = property.Value; }
            else if (property.NameEquals("id"u8)) { id = property.Value; }
            else if (property.NameEquals("name"u8)) { name = property.Value; }
            else if (property.NameEquals("input"u8)) { input = property.Value; }
            else if (property.NameEquals("tool_use_id"u8)) { toolUseId = property.Value; }
            else if (property.NameEquals("content"u8)) { content = property.Value; }
            else if (property.NameEquals("is_error"u8)) { isError = property.Value; }
            else if (property.NameEquals("thinking"u8)) { thinking = property.Value; }
            else if (property.NameEquals("title"u8)) { title = property.Value; }
        }

        if (!JsonValues.IsString(type))
        {
            throw new InvalidRequestException($"{path}.type: must be a string");
        }

        return new ContentBlock(type, text, source, id, name, input, toolUseId, content, isError, thinking, title);
    }

    public bool Is(ReadOnlySpan<byte> type) => Type.ValueEquals(type);

    /// <summary>A text block with something in it (empty text blocks are dropped, peers.md §3.1 item 6).</summary>
    public bool IsNonEmptyText => Is("text"u8) && JsonValues.HasText(Text);

    public string TypeName => Type.GetString() ?? "";
}
