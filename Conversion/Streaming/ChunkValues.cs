using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads the values of a <c>chat.completion.chunk</c> whose type the parser expects. A value of another type is
/// skipped whole: an object or array left unskipped would make the caller read its inner properties as its own.
/// </summary>
internal static class ChunkValues
{
    /// <summary>Whether the reader is on a token of <paramref name="type"/>; a value of any other type is skipped.</summary>
    public static bool IsOrSkip(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType == type)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    /// <summary>The escaped content of a string value; empty for null, "" and anything that is not a string.</summary>
    public static ByteRange StringRange(ref Utf8JsonReader reader) =>
        // For a string token over one contiguous span, TokenStartIndex is the opening quote.
        IsOrSkip(ref reader, JsonTokenType.String) ? new ByteRange((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length) : default;

    /// <summary>A string value as text, null when empty; it allocates, so it is for ids and names, which come once per call.</summary>
    public static string? NonEmptyString(ref Utf8JsonReader reader) =>
        IsOrSkip(ref reader, JsonTokenType.String) && reader.ValueSpan.Length > 0 ? reader.GetString() : null;

    public static int? Int32(ref Utf8JsonReader reader) =>
        IsOrSkip(ref reader, JsonTokenType.Number) && reader.TryGetInt32(out var value) ? value : null;

    /// <summary>A token count; 0 for anything that is not a positive number.</summary>
    public static long Count(ref Utf8JsonReader reader)
    {
        if (!IsOrSkip(ref reader, JsonTokenType.Number))
        {
            return 0;
        }

        if (reader.TryGetInt64(out var count))
        {
            return Math.Max(count, 0);
        }

        // Some servers write counts as 12.0, which TryGetInt64 refuses.
        return reader.TryGetDouble(out var real) && real > 0 && real < long.MaxValue ? (long)real : 0;
    }
}
