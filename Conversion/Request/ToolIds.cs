using System.Security.Cryptography;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Tool-call ids as the provider accepts them. Most take any string and get the client's id unchanged; Mistral wants
/// exactly nine letters or digits (peers.md §3.1 item 25), so other ids are replaced by nine characters of their
/// hash: the same on the call and on its result, and on every later request, with nothing to remember.
/// </summary>
internal static class ToolIds
{
    private const int ShortLength = 9;
    private static readonly char[] Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".ToCharArray();

    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> property, JsonElement id, ConversionContext context)
    {
        writer.WritePropertyName(property);
        if (!context.Profile.ShortToolIds || IsShort(JsonValues.Inner(id)))
        {
            writer.WriteRawValue(JsonValues.Raw(id), skipInputValidation: true);
            return;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(JsonValues.Inner(id), hash);
        Span<char> shortId = stackalloc char[ShortLength];
        for (var i = 0; i < ShortLength; i++)
        {
            shortId[i] = Alphabet[hash[i] % Alphabet.Length];
        }

        writer.WriteStringValue(shortId);
    }

    private static bool IsShort(ReadOnlySpan<byte> id)
    {
        if (id.Length != ShortLength)
        {
            return false;
        }

        foreach (var b in id)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }
}
