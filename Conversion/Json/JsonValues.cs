using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Vdm.Conversion.Json;

/// <summary>Small helpers over raw JSON value slices: kinds, string contents, numbers, compaction.</summary>
internal static class JsonValues
{
    /// <summary>The bytes of the value the reader is on, leaving the reader on the value's last token.</summary>
    public static ReadOnlySpan<byte> Capture(ReadOnlySpan<byte> json, scoped ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return json[start..(int)reader.BytesConsumed];
    }

    public static bool IsString(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == (byte)'"';

    public static bool IsObject(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == (byte)'{';

    public static bool IsArray(ReadOnlySpan<byte> value) => value.Length > 0 && value[0] == (byte)'[';

    public static bool IsNull(ReadOnlySpan<byte> value) => value.IsEmpty || value.SequenceEqual("null"u8);

    public static bool IsTrue(ReadOnlySpan<byte> value) => value.SequenceEqual("true"u8);

    public static bool IsNumber(ReadOnlySpan<byte> value) => value.Length > 0 && (value[0] == (byte)'-' || char.IsAsciiDigit((char)value[0]));

    /// <summary>The escaped contents of a string value, without its quotes: still valid inside any JSON string.</summary>
    public static ReadOnlySpan<byte> Inner(ReadOnlySpan<byte> stringValue) => stringValue[1..^1];

    /// <summary>True when a string value's contents equal <paramref name="text"/> (an unescaped comparison).</summary>
    public static bool StringEquals(ReadOnlySpan<byte> stringValue, ReadOnlySpan<byte> text)
    {
        if (!IsString(stringValue))
        {
            return false;
        }

        var inner = Inner(stringValue);
        return inner.IndexOf((byte)'\\') < 0 ? inner.SequenceEqual(text) : GetString(stringValue).AsSpan().SequenceEqual(Encoding.UTF8.GetString(text));
    }

    /// <summary>A string value as text (allocates: for names and messages, not for content).</summary>
    public static string GetString(ReadOnlySpan<byte> stringValue)
    {
        var reader = new Utf8JsonReader(stringValue);
        reader.Read();
        return reader.GetString() ?? string.Empty;
    }

    public static bool TryGetInt64(ReadOnlySpan<byte> value, out long number) =>
        Utf8Parser.TryParse(value, out number, out var consumed) && consumed == value.Length;

    /// <summary>Copies a JSON value without the whitespace between tokens (strings are copied byte for byte).</summary>
    public static void WriteCompact(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var inString = false;
        var start = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                output.Write(json[start..i]);
                start = i + 1;
            }
        }

        output.Write(json[start..]);
    }
}
