using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Builds one JSON string out of several string values without unescaping them: the escaped contents of JSON
/// strings concatenate into valid escaped contents, so joined text is copied, never decoded and re-encoded.
/// </summary>
internal static class JoinedString
{
    public static void Start(PooledBufferWriter buffer)
    {
        buffer.Clear();
        buffer.Write((byte)'"');
    }

    /// <summary>Appends a string value's contents, preceded by <paramref name="separator"/> (already escaped) unless it is the first.</summary>
    public static void Append(PooledBufferWriter buffer, JsonElement stringValue, ReadOnlySpan<byte> separator)
    {
        if (buffer.WrittenCount > 1)
        {
            buffer.Write(separator);
        }

        buffer.Write(JsonValues.Inner(stringValue));
    }

    public static bool IsEmpty(PooledBufferWriter buffer) => buffer.WrittenCount <= 1;

    /// <summary>The finished JSON string value.</summary>
    public static ReadOnlySpan<byte> Finish(PooledBufferWriter buffer)
    {
        buffer.Write((byte)'"');
        return buffer.WrittenSpan;
    }
}
