using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads a delta's <c>tool_calls</c> array into <see cref="ToolCallFragment"/>s: the index, the id and name when
/// present, and the range of the still-escaped arguments fragment.
/// </summary>
internal static class ToolCallFragmentReader
{
    public static void Read(ref Utf8JsonReader reader, List<ToolCallFragment> fragments)
    {
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartArray))
        {
            return;
        }

        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // A fragment without "index" counts by its position in the array.
                fragments.Add(ReadFragment(ref reader, position));
            }
            else
            {
                reader.Skip();
            }

            position++;
        }
    }

    private static ToolCallFragment ReadFragment(ref Utf8JsonReader reader, int position)
    {
        int? index = null;
        string? id = null, name = null;
        ByteRange arguments = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = ChunkValues.Int32(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = ChunkValues.NonEmptyString(ref reader);
            }
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                ReadFunction(ref reader, ref name, ref arguments);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new ToolCallFragment(index ?? position, id, name, arguments);
    }

    private static void ReadFunction(ref Utf8JsonReader reader, ref string? name, ref ByteRange arguments)
    {
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartObject))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("arguments"u8) ? 2 : 0;
            reader.Read();
            switch (property)
            {
                case 1:
                    name = ChunkValues.NonEmptyString(ref reader);
                    break;
                case 2:
                    arguments = ChunkValues.StringRange(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
    }
}
