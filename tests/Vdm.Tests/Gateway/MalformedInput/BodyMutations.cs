using System.Text;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// Byte-level damage to a valid body: cut short, single bytes overwritten, invalid UTF-8 and half surrogate pairs
/// slipped in. Every choice comes from the caller's seeded <see cref="Random"/>, so a failure replays.
/// </summary>
internal static class BodyMutations
{
    private static readonly byte[] FlipValues =
        [0x00, 0x09, 0x0A, 0x20, (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)'0',
         (byte)'-', (byte)'e', (byte)'n', 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF8, 0xFF];

    /// <summary>Byte sequences that are not UTF-8: stray continuation, overlong, encoded surrogate, cut sequences, too large, never-valid bytes.</summary>
    private static readonly byte[][] InvalidUtf8 =
        [[0x80], [0xBF, 0xBF], [0xC0, 0xAF], [0xC1, 0x81], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xC3],
         [0xE2, 0x82], [0xF0, 0x9F, 0x8E], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xC3, 0x28]];

    /// <summary>JSON escapes of half a surrogate pair, or a pair in the wrong order: valid JSON grammar, not text.</summary>
    private static readonly string[] HalfSurrogates = [@"\ud800", @"\udfff", @"\ud83d", @"\ud83dx", @"\ude00\ud83d", @"\ud83d\u0041", @"\uDBFF\uDBFF"];

    /// <summary>
    /// The body cut at <paramref name="perClass"/> positions of each kind of byte (structure, quotes, escapes, digits,
    /// letters, whitespace, the lead and continuation bytes of multi-byte characters), or at every position.
    /// </summary>
    public static IEnumerable<FuzzCase> Truncations(string label, byte[] body, Random random, int? perClass)
    {
        if (perClass is null)
        {
            for (var length = 0; length < body.Length; length++)
            {
                yield return new FuzzCase($"{label} cut at {length}", body[..length]);
            }

            yield break;
        }

        foreach (var positions in Enumerable.Range(0, body.Length).GroupBy(i => ByteClass(body[i])))
        {
            var all = positions.ToArray();
            for (var i = 0; i < Math.Min(perClass.Value, all.Length); i++)
            {
                var length = all[random.Next(all.Length)];
                yield return new FuzzCase($"{label} cut before {positions.Key} at {length}", body[..length]);
            }
        }
    }

    public static IEnumerable<FuzzCase> ByteFlips(string label, byte[] body, Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var copy = (byte[])body.Clone();
            var at = random.Next(copy.Length);
            var value = random.Next(4) == 0 ? (byte)random.Next(256) : FlipValues[random.Next(FlipValues.Length)];
            copy[at] = value;
            yield return new FuzzCase($"{label} byte {at} = 0x{value:X2}", copy);
        }
    }

    /// <summary>Invalid UTF-8 and half surrogate pairs, mostly just inside a string (after a quote), sometimes anywhere.</summary>
    public static IEnumerable<FuzzCase> BadText(string label, byte[] body, Random random, int count)
    {
        var quotes = Enumerable.Range(0, body.Length).Where(i => body[i] == (byte)'"').ToArray();
        for (var i = 0; i < count; i++)
        {
            var at = random.Next(3) == 0 ? random.Next(body.Length + 1) : quotes[random.Next(quotes.Length)] + 1;
            var (insert, what) = random.Next(3) == 0
                ? (Encoding.ASCII.GetBytes(HalfSurrogates[random.Next(HalfSurrogates.Length)]), "half surrogate")
                : (InvalidUtf8[random.Next(InvalidUtf8.Length)], "invalid UTF-8");
            yield return new FuzzCase($"{label} {what} {Convert.ToHexString(insert)} at {at}", [.. body[..at], .. insert, .. body[at..]]);
        }
    }

    private static string ByteClass(byte b) => b switch
    {
        (byte)'{' or (byte)'}' or (byte)'[' or (byte)']' => "bracket",
        (byte)',' or (byte)':' => "separator",
        (byte)'"' => "quote",
        (byte)'\\' => "backslash",
        >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' => "digit",
        (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' => "whitespace",
        >= 0xC0 => "lead byte",
        >= 0x80 => "continuation byte",
        _ => "letter",
    };
}
