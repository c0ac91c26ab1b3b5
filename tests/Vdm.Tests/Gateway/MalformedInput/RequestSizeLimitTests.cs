using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// MAX_REQUEST_BYTES: a larger body is refused with a 413 <c>request_too_large</c> in the endpoint's error shape,
/// whether its size was announced (Content-Length) or only found out while reading (chunked).
/// </summary>
public class RequestSizeLimitTests
{
    private const int Limit = 4096;

    private const string OpenAIAnswer = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    [Test]
    [Arguments("/v1/messages", false)]
    [Arguments("/v1/messages", true)]
    [Arguments("/v1/messages/count_tokens", false)]
    [Arguments("/v1/messages/count_tokens", true)]
    public async Task BodyOverTheLimit_OnAMessagesEndpoint_Is413RequestTooLargeInAnthropicShape(string path, bool chunked)
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("MAX_REQUEST_BYTES", $"{Limit}")));

        using var response = await PostAsync(gateway, path, Body(Limit + 1), chunked);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.RequestEntityTooLarge);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(body.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(error.GetProperty("type").GetString()).IsEqualTo("request_too_large");
        await Assert.That(error.GetProperty("message").GetString()).IsEqualTo("The request body is larger than the gateway accepts.");
    }

    [Test]
    [Arguments(false)]
    [Arguments(true)]
    public async Task BodyOverTheLimit_OnChatCompletions_Is413InOpenAIShapeWithItsCode(bool chunked)
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("MAX_REQUEST_BYTES", $"{Limit}")));

        using var response = await PostAsync(gateway, "/v1/chat/completions", Body(Limit + 1), chunked);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.RequestEntityTooLarge);
        await Assert.That(body.RootElement.TryGetProperty("type", out _)).IsFalse();
        await Assert.That(error.GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
        await Assert.That(error.GetProperty("code").GetString()).IsEqualTo("request_too_large");
    }

    [Test]
    public async Task BodyOfExactlyTheLimit_IsServed()
    {
        // With Content-Length only: Kestrel counts a chunked body's framing too (12 bytes for one chunk), so a chunked
        // body that close to the limit is refused.
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_REQUEST_BYTES", $"{Limit}")));

        using var response = await PostAsync(gateway, "/v1/messages", Body(Limit), chunked: false);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    /// <summary>A valid request of exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Body(int size)
    {
        const string Head = """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":" """;
        const string Tail = "\"}]}";
        return Encoding.UTF8.GetBytes(Head + new string('a', size - Head.Length - Tail.Length) + Tail);
    }

    private static Task<HttpResponseMessage> PostAsync(RunningGateway gateway, string path, byte[] body, bool chunked)
    {
        HttpContent content = chunked ? new UnsizedContent(body) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return gateway.Client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>A body whose length HttpClient cannot know in advance, so it is sent chunked, without Content-Length.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
