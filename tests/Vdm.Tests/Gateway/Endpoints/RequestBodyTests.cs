using System.IO.Pipelines;
using System.Text;
using Vdm.Gateway.Endpoints;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The one read and parse of a request body, and what it refuses before anything reads a string of it.</summary>
public class RequestBodyTests
{
    private static async Task<(RequestBody? Body, string? Problem)> ReadAsync(byte[] bytes) =>
        await RequestBody.ReadAsync(PipeReader.Create(new MemoryStream(bytes)), bytes.Length, CancellationToken.None);

    [Test]
    public async Task ReadAsync_ValidObject_ReadsModelStreamAndSession()
    {
        var (body, problem) = await ReadAsync("""{"model":"m ✓","stream":true,"metadata":{"user_id":"u"}}"""u8.ToArray());
        using (body)
        {
            await Assert.That(problem).IsNull();
            await Assert.That(body!.Model).IsEqualTo("m ✓");
            await Assert.That(body.Stream).IsTrue();
            await Assert.That(body.MetadataUserId).IsEqualTo("u");
        }
    }

    [Test]
    public async Task ReadAsync_InvalidUtf8InAString_SaysTheBodyIsNotUtf8AndWhere()
    {
        var (body, problem) = await ReadAsync([.. """{"model":"m"""u8, 0xC3, .. "\"}"u8]);

        await Assert.That(body).IsNull();
        await Assert.That(problem).IsEqualTo("The request body is not valid UTF-8: the bytes at offset 11 are not a UTF-8 character.");
    }

    [Test]
    public async Task ReadAsync_HalfASurrogatePair_SaysTheBodyIsNotValidJsonAndWhere()
    {
        var (body, problem) = await ReadAsync(Encoding.UTF8.GetBytes("""{"model":"m","\udc00":1}"""));

        await Assert.That(body).IsNull();
        await Assert.That(problem).IsEqualTo("The request body is not valid JSON: the escape \\udc00 at offset 14 is half of a surrogate pair, not a character.");
    }

    [Test]
    [Arguments("", "The request body is not valid JSON: ")]
    [Arguments("{\"model\":", "The request body is not valid JSON: ")]
    [Arguments("[1]", "The request body must be a JSON object.")]
    public async Task ReadAsync_NotAJsonObject_SaysSo(string text, string expected)
    {
        var (body, problem) = await ReadAsync(Encoding.UTF8.GetBytes(text));

        await Assert.That(body).IsNull();
        await Assert.That(problem).StartsWith(expected);
    }
}
