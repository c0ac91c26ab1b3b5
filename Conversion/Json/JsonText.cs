using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;

namespace Vdm.Conversion.Json;

/// <summary>
/// The two ways a body can pass <see cref="System.Text.Json.JsonDocument"/>'s parse and still not be text: bytes
/// inside strings that are not UTF-8 (the parser checks only the bytes between values), and <c>\uD800</c>-style
/// escapes of half a surrogate pair (valid JSON grammar, but no character). Either makes every later read of the
/// string throw, so a request holding one is refused before anything reads it.
/// </summary>
internal static class JsonText
{
    /// <summary>The offset of the first byte that is not part of a UTF-8 character, or -1 when there is none.</summary>
    public static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        // Only a refused body pays for finding the place.
        var at = 0;
        while (Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }

    /// <summary>
    /// The offset of the first <c>\u</c> escape of an unpaired surrogate, or -1 when there is none. The JSON must be
    /// valid (parsed already): a backslash then only occurs inside strings, as the start of an escape.
    /// </summary>
    public static int FindUnpairedSurrogate(ReadOnlySpan<byte> json)
    {
        var at = 0;
        while (true)
        {
            var next = json[at..].IndexOf((byte)'\\');
            if (next < 0 || at + next + 1 >= json.Length)
            {
                return -1;
            }

            at += next;
            if (json[at + 1] != (byte)'u')
            {
                at += 2;
                continue;
            }

            var unit = CodeUnit(json, at);
            if (unit is >= 0xD800 and <= 0xDBFF && CodeUnit(json, at + 6) is >= 0xDC00 and <= 0xDFFF)
            {
                at += 12;
            }
            else if (unit is >= 0xD800 and <= 0xDFFF)
            {
                return at;
            }
            else
            {
                at += 6;
            }
        }
    }

    /// <summary>The UTF-16 code unit of the <c>\uXXXX</c> escape at <paramref name="at"/>, or -1 when there is none there.</summary>
    private static int CodeUnit(ReadOnlySpan<byte> json, int at) =>
        at + 6 <= json.Length && json[at] == (byte)'\\' && json[at + 1] == (byte)'u'
            && Utf8Parser.TryParse(json.Slice(at + 2, 4), out ushort unit, out var consumed, 'X') && consumed == 4
            ? unit
            : -1;
}
