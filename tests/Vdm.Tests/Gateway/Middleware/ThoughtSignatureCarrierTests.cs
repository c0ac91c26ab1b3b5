using System.Text.RegularExpressions;
using Vdm.Gateway.Middleware;

namespace Vdm.Tests.Gateway.Middleware;

public partial class ThoughtSignatureCarrierTests
{
    [Test]
    [Arguments("call_abc123", "CiQBcsjafQ2/+kq9ZbUUKgxvI1QHaqJmH0aD4gH7bXkd9c8vbeyKZQpUAXLI2n0=")]
    [Arguments("function-call-1763", "not base64 at all: {\"x\"}")]
    [Arguments("", "c2ln")]
    [Arguments("caf\u00e9-\u5de5\u5177", "AAAA")]
    public async Task WrapThenUnwrap_GivesBackTheIdAndTheSignatureExactly(string id, string signature)
    {
        var carried = ThoughtSignatureCarrier.Wrap(id, signature);

        await Assert.That(ThoughtSignatureCarrier.TryUnwrap(carried, out var backId, out var backSignature)).IsTrue();
        await Assert.That((backId, backSignature)).IsEqualTo((id, signature));
        await Assert.That(AnthropicIdAlphabet().IsMatch(carried)).IsTrue();
        await Assert.That(carried).StartsWith("toolu_vdmts_");
    }

    [Test]
    public async Task Wrap_Base64Signature_IsKeptAsItsBytes()
    {
        var signature = Convert.ToBase64String(new byte[1500]);

        var carried = ThoughtSignatureCarrier.Wrap("call_1", signature);

        // 1,500 bytes in base64url, plus the prefix and the id: not the 2,668 a second base64 of the text would take.
        await Assert.That(carried.Length).IsLessThan(2100);
    }

    [Test]
    [Arguments("toolu_01AbC")]
    [Arguments("call_abc")]
    [Arguments("toolu_vdmts_")]
    [Arguments("toolu_vdmts_!!!")]
    [Arguments("toolu_vdmts_AAAA")]
    [Arguments("toolu_vdmts_Af8A")]
    public async Task TryUnwrap_AnythingElse_IsNotACarrier(string id)
    {
        await Assert.That(ThoughtSignatureCarrier.TryUnwrap(id, out _, out _)).IsFalse();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex AnthropicIdAlphabet();
}
