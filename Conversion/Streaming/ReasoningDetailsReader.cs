using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads a delta's <c>reasoning_details</c> array (OpenRouter's structured reasoning) into the ranges of its
/// <c>text</c> and <c>signature</c> strings.
/// </summary>
internal static class ReasoningDetailsReader
{
    public static void Read(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (!ChunkValues.IsOrSkip(ref reader, JsonTokenType.StartArray))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                var isSignature = reader.ValueTextEquals("signature"u8);
                reader.Read();
                if (!isText && !isSignature)
                {
                    reader.Skip();
                    continue;
                }

                var range = ChunkValues.StringRange(ref reader);
                if (!range.IsEmpty)
                {
                    (isText ? chunk.ReasoningDetails : chunk.Signatures).Add(range);
                }
            }
        }
    }
}
