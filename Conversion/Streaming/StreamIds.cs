using System.Security.Cryptography;

namespace Vdm.Conversion.Streaming;

/// <summary>Mints Anthropic-looking ids (<c>msg_…</c>, <c>toolu_…</c>) for what the upstream did not name.</summary>
internal static class StreamIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The prefix and 24 random base-62 characters, the length of Anthropic's own ids.</summary>
    public static string Mint(string prefix) => string.Create(prefix.Length + 24, prefix, static (span, prefix) =>
    {
        prefix.CopyTo(span);
        RandomNumberGenerator.GetItems(Alphabet, span[prefix.Length..]);
    });
}
