using System.Text;
using Vdm.Conversion.Response;

namespace Vdm.Tests.Conversion.Response;

public class ToolArgumentsTests
{
    private static (bool Ok, string Input, string? Problem) Normalize(string arguments)
    {
        var ok = ToolArguments.TryNormalize(Encoding.UTF8.GetBytes(arguments), out var input, out var problem);
        return (ok, Encoding.UTF8.GetString(input), problem);
    }

    [Test]
    [Arguments("", "{}")]
    [Arguments("{ \"a\" : 1 }", """{"a":1}""")]
    [Arguments("{\"a\":1,}", """{"a":1}""")]
    [Arguments("{\"a\":/* why */1}", """{"a":1}""")]
    [Arguments("{\"a\":[{\"b\":1}", """{"a":[{"b":1}]}""")]
    [Arguments("{\"a\":\"x\\\"}\"", """{"a":"x\"}"}""")]
    [Arguments("\"{\\\"a\\\":1}\"", """{"a":1}""")]
    [Arguments("{\"big\":123456789012345678901234567890}", """{"big":123456789012345678901234567890}""")]
    [Arguments("{\"k\\u00e9y\":\"<tag> & 'q'\"}", """{"kéy":"<tag> & 'q'"}""")]
    public async Task TryNormalize_UnambiguousInput_GivesACompactObject(string arguments, string input)
    {
        var result = Normalize(arguments);

        await Assert.That(result).IsEqualTo((true, input, (string?)null));
    }

    [Test]
    [Arguments("{\"a\":", "they are not valid JSON")]
    [Arguments("{\"a\":\"open", "they are not valid JSON")]
    [Arguments("{'a':1}", "they are not valid JSON")]
    [Arguments("{a:1}", "they are not valid JSON")]
    [Arguments("```json\n{\"a\":1}\n```", "they are not valid JSON")]
    [Arguments("{\"a\":1]", "they are not valid JSON")]
    [Arguments("{\"a\":1} {\"b\":2}", "they are not valid JSON")]
    [Arguments("[1]", "they are not a JSON object")]
    [Arguments("true", "they are not a JSON object")]
    [Arguments("\"\\\"[1]\\\"\"", "they are not a JSON object")]
    public async Task TryNormalize_AmbiguousOrNonObjectInput_IsRefused(string arguments, string problem)
    {
        var result = Normalize(arguments);

        await Assert.That(result.Ok).IsFalse();
        await Assert.That(result.Problem).IsEqualTo(problem);
    }
}
