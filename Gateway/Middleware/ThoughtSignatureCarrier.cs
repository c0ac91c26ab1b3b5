using System.Buffers.Text;
using System.Text;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// Carries a Gemini thought signature inside the tool-use id the client is given, and back: the client echoes the id
/// with the next turn, so the signature comes back with the conversation, whatever happened to vdm in between
/// (a restart, a reload, another instance behind a load balancer). The id stays within Anthropic's id alphabet
/// (letters, digits, <c>_</c>, <c>-</c>): <c>toolu_vdmts_</c> and the base64url of the original id and the signature.
/// </summary>
internal static class ThoughtSignatureCarrier
{
    public const string Prefix = "toolu_vdmts_";

    public static ReadOnlySpan<byte> PrefixUtf8 => "toolu_vdmts_"u8;

    // The first byte of the packed form: how the signature is kept.
    private const byte TextSignature = 0;
    private const byte Base64Signature = 1;

    public static string Wrap(string id, string signature)
    {
        var idBytes = Encoding.UTF8.GetBytes(id);

        // Signatures are base64 already: kept as their bytes, the id grows by 4/3 of them rather than 16/9.
        var raw = TryDecodeExactBase64(signature);
        var signatureBytes = raw ?? Encoding.UTF8.GetBytes(signature);
        var packed = new byte[3 + idBytes.Length + signatureBytes.Length];
        packed[0] = raw is null ? TextSignature : Base64Signature;
        packed[1] = (byte)(idBytes.Length >> 8);
        packed[2] = (byte)idBytes.Length;
        idBytes.CopyTo(packed, 3);
        signatureBytes.CopyTo(packed, 3 + idBytes.Length);
        return Prefix + Base64Url.EncodeToString(packed);
    }

    public static bool TryUnwrap(string carried, out string id, out string signature)
    {
        (id, signature) = ("", "");
        if (!carried.StartsWith(Prefix, StringComparison.Ordinal) || carried.Length == Prefix.Length)
        {
            return false;
        }

        byte[] packed;
        try
        {
            packed = Base64Url.DecodeFromChars(carried.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }

        if (packed.Length < 3 || packed[0] > Base64Signature)
        {
            return false;
        }

        var idLength = (packed[1] << 8) | packed[2];
        if (3 + idLength > packed.Length)
        {
            return false;
        }

        id = Encoding.UTF8.GetString(packed, 3, idLength);
        var rest = packed.AsSpan(3 + idLength);
        signature = packed[0] == Base64Signature ? Convert.ToBase64String(rest) : Encoding.UTF8.GetString(rest);
        return signature.Length > 0;
    }

    private static byte[]? TryDecodeExactBase64(string text)
    {
        if (text.Length == 0 || text.Length % 4 != 0 || text.Length > 48 * 1024)
        {
            return null;
        }

        var bytes = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, bytes, out var written) && Convert.ToBase64String(bytes, 0, written) == text
            ? bytes[..written]
            : null;
    }
}
