using System.Text;
using Vdm.Conversion.Json;

namespace Vdm.Tests.Conversion.Json;

/// <summary>What JSON parsing lets through but no string read survives: bytes that are not UTF-8, half surrogate pairs.</summary>
public class JsonTextTests
{
    [Test]
    public async Task FindInvalidUtf8_Text_IsMinusOne()
    {
        await Assert.That(JsonText.FindInvalidUtf8(Encoding.UTF8.GetBytes("""{"a":"héllo 你好 🎉"}"""))).IsEqualTo(-1);
    }

    [Test]
    [Arguments(new byte[] { 0x80 })]
    [Arguments(new byte[] { 0xC0, 0xAF })]
    [Arguments(new byte[] { 0xED, 0xA0, 0x80 })]
    [Arguments(new byte[] { 0xF0, 0x9F, 0x8E })]
    [Arguments(new byte[] { 0xFF })]
    public async Task FindInvalidUtf8_BadSequenceInAString_IsItsOffset(byte[] bad)
    {
        byte[] json = [.. "{\"a\":\"é"u8, .. bad, .. "\"}"u8];

        await Assert.That(JsonText.FindInvalidUtf8(json)).IsEqualTo(8);
    }

    [Test]
    [Arguments("""{"a":"\ud83c\udf89 and \u00e9"}""")]
    [Arguments("""{"a":"\\ud800"}""")]
    [Arguments("""{"a":"\\\\ud800"}""")]
    [Arguments("""{"a":"\"\\\n"}""")]
    public async Task FindUnpairedSurrogate_PairsAndEscapedBackslashes_AreMinusOne(string json)
    {
        await Assert.That(JsonText.FindUnpairedSurrogate(Encoding.UTF8.GetBytes(json))).IsEqualTo(-1);
    }

    [Test]
    [Arguments("""{"a":"\ud800"}""", 6)]
    [Arguments("""{"a":"x\udfff"}""", 7)]
    [Arguments("""{"a":"\ud83d\u0041"}""", 6)]
    [Arguments("""{"a":"\ude00\ud83d"}""", 6)]
    [Arguments("""{"a":"\\\ud800"}""", 8)]
    [Arguments("""{"\uDBFF":1}""", 2)]
    [Arguments("""{"a":"\ud83d\ude00","b":"\ud83d"}""", 25)]
    public async Task FindUnpairedSurrogate_HalfAPair_IsItsOffset(string json, int offset)
    {
        await Assert.That(JsonText.FindUnpairedSurrogate(Encoding.UTF8.GetBytes(json))).IsEqualTo(offset);
    }
}
