using System.Security.Cryptography;
using System.Text;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class KeyFingerprintTests
{
    private static string Expected(string secret) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..8].ToLowerInvariant();

    [Test]
    [Arguments("sk-proj-abc123")]
    [Arguments("k")]
    [Arguments("")]
    [Arguments("clé-ünïcode-🔑")]
    public async Task Of_Secret_IsSha256AndTheFirstEightLowerCaseHexDigitsOfItsHash(string secret)
    {
        var fingerprint = KeyFingerprint.Of(secret);

        await Assert.That(fingerprint).IsEqualTo(Expected(secret));
        await Assert.That(fingerprint).Matches("^sha256:[0-9a-f]{8}$");
    }

    [Test]
    public async Task Of_KnownInput_MatchesThePublishedHash()
    {
        var fingerprint = KeyFingerprint.Of("abc");

        await Assert.That(fingerprint).IsEqualTo("sha256:ba7816bf");
    }

    [Test]
    public async Task Of_SameSecret_GivesTheSameFingerprint()
    {
        var first = KeyFingerprint.Of("sk-same");
        var second = KeyFingerprint.Of(new string("sk-same".ToCharArray()));

        await Assert.That(second).IsEqualTo(first);
    }

    [Test]
    public async Task Of_DifferentSecrets_GiveDifferentFingerprints()
    {
        var first = KeyFingerprint.Of("sk-one");
        var second = KeyFingerprint.Of("sk-two");

        await Assert.That(second).IsNotEqualTo(first);
    }

    [Test]
    public async Task Of_Secret_DoesNotContainTheSecret()
    {
        var fingerprint = KeyFingerprint.Of("abcdef12");

        await Assert.That(fingerprint).DoesNotContain("abcdef12");
    }
}
