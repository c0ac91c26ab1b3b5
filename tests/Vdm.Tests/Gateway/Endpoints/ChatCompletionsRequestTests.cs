using System.Text;
using Vdm.Conversion.Json;
using Vdm.Gateway.Endpoints;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The splice that forwards an OpenAI-format body unchanged but for the model and the token limit.</summary>
public class ChatCompletionsRequestTests
{
    private static (string? Error, string Body, string? User) Write(string body, string model, int? limit = null)
    {
        using var output = new PooledBufferWriter(256);
        var error = ChatCompletionsRequest.Write(Encoding.UTF8.GetBytes(body), model, limit, output, out var user);
        return (error, Encoding.UTF8.GetString(output.WrittenSpan), user);
    }

    [Test]
    public async Task Write_NestedModelAndTokenFields_AreLeftAlone()
    {
        const string body = """{"messages":[{"role":"user","content":"x","model":"keep"}],"metadata":{"max_tokens":99999},"model":"alias","max_tokens":10}""";

        var result = Write(body, "real", limit: 50);

        await Assert.That(result.Error).IsNull();
        await Assert.That(result.Body).IsEqualTo(body.Replace("\"model\":\"alias\"", "\"model\":\"real\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task Write_ModelNeedingEscapes_IsWrittenAsValidJson()
    {
        var result = Write("""{"model":"a"}""", "we\"ird\\model");
        using var parsed = System.Text.Json.JsonDocument.Parse(result.Body);

        await Assert.That(parsed.RootElement.GetProperty("model").GetString()).IsEqualTo("we\"ird\\model");
    }

    [Test]
    [Arguments("1.5e9")]
    [Arguments("\"lots\"")]
    [Arguments("null")]
    public async Task Write_TokenLimitThatIsNotAnInteger_IsForwardedForTheProviderToJudge(string value)
    {
        var body = $$"""{"model":"m","max_tokens":{{value}}}""";

        var result = Write(body, "m", limit: 10);

        await Assert.That(result.Error).IsNull();
        await Assert.That(result.Body).IsEqualTo(body);
    }

    [Test]
    public async Task Write_BothTokenFieldsAboveTheLimit_AreBothLowered()
    {
        var result = Write("""{"max_completion_tokens":300,"model":"m","max_tokens":200}""", "m", limit: 100);

        await Assert.That(result.Body).IsEqualTo("""{"max_completion_tokens":100,"model":"m","max_tokens":100}""");
    }

    [Test]
    public async Task Write_UserField_IsReturnedAsTheSessionHint()
    {
        var result = Write("""{"model":"m","user":"session-42"}""", "m");

        await Assert.That(result.User).IsEqualTo("session-42");
        await Assert.That(result.Body).IsEqualTo("""{"model":"m","user":"session-42"}""");
    }

    [Test]
    [Arguments("""{"model":5}""", "model: must be a string.")]
    [Arguments("""{"messages":[]}""", "model: is required.")]
    [Arguments("""{"model":"a"} x""", "The request body is not valid JSON")]
    public async Task Write_InvalidBody_IsAClientError(string body, string message)
    {
        var result = Write(body, "m");

        await Assert.That(result.Error).StartsWith(message);
    }
}
