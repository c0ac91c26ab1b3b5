using System.Security.Cryptography;
using System.Text;

namespace Vdm.Gateway.Configuration;

/// <summary>Names a secret without revealing it: <c>sha256:</c> and the first 8 hex digits of its hash.</summary>
internal static class KeyFingerprint
{
    public static string Of(string secret)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..4]);
    }
}
