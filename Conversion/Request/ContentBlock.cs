using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>The fields of one Anthropic content block that conversion reads, each a raw slice (empty when absent).</summary>
internal ref struct ContentBlock
{
    public ReadOnlySpan<byte> Type;
    public ReadOnlySpan<byte> Text;
    public ReadOnlySpan<byte> Source;
    public ReadOnlySpan<byte> Id;
    public ReadOnlySpan<byte> Name;
    public ReadOnlySpan<byte> Input;
    public ReadOnlySpan<byte> ToolUseId;
    public ReadOnlySpan<byte> Content;
    public ReadOnlySpan<byte> IsError;
    public ReadOnlySpan<byte> Thinking;
    public ReadOnlySpan<byte> Title;

    public static ContentBlock Read(ReadOnlySpan<byte> json, string path)
    {
        if (!JsonValues.IsObject(json))
        {
            throw new InvalidRequestException($"{path}: must be a content block object");
        }

        var block = default(ContentBlock);
        var cursor = new JsonObjectCursor(json);
        while (cursor.MoveNext())
        {
            if (cursor.NameIs("type"u8)) { block.Type = cursor.Value; }
            else if (cursor.NameIs("text"u8)) { block.Text = cursor.Value; }
            else if (cursor.NameIs("source"u8)) { block.Source = cursor.Value; }
            else if (cursor.NameIs("id"u8)) { block.Id = cursor.Value; }
            else if (cursor.NameIs("name"u8)) { block.Name = cursor.Value; }
            else if (cursor.NameIs("input"u8)) { block.Input = cursor.Value; }
            else if (cursor.NameIs("tool_use_id"u8)) { block.ToolUseId = cursor.Value; }
            else if (cursor.NameIs("content"u8)) { block.Content = cursor.Value; }
            else if (cursor.NameIs("is_error"u8)) { block.IsError = cursor.Value; }
            else if (cursor.NameIs("thinking"u8)) { block.Thinking = cursor.Value; }
            else if (cursor.NameIs("title"u8)) { block.Title = cursor.Value; }
        }

        if (!JsonValues.IsString(block.Type))
        {
            throw new InvalidRequestException($"{path}.type: must be a string");
        }

        return block;
    }

    public readonly bool Is(ReadOnlySpan<byte> type) => JsonValues.StringEquals(Type, type);

    /// <summary>A text block with something in it (empty text blocks are dropped, peers.md §3.1 item 6).</summary>
    public readonly bool IsNonEmptyText => Is("text"u8) && JsonValues.IsString(Text) && Text.Length > 2;

    public readonly string TypeName => JsonValues.GetString(Type);
}
