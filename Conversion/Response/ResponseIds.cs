using System.Security.Cryptography;

namespace Vdm.Conversion.Response;

/// <summary>Mints the random part of <c>msg_…</c> and <c>toolu_…</c> ids when the upstream gave none.</summary>
internal static class ResponseIds
{
    public const string MessagePrefix = "msg_";
    public const string ToolUsePrefix = "toolu_";

    // Anthropic's own ids carry 24 base58-like characters after the prefix; clients only need them unique.
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789";

    public static string NewToken() => RandomNumberGenerator.GetString(Alphabet, 24);
}
