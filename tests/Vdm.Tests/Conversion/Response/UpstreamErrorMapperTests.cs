using System.Buffers;
using System.Text;
using Vdm.Conversion.Response;

namespace Vdm.Tests.Conversion.Response;

public class UpstreamErrorMapperTests
{
    private static MappedError Map(int status, string body, string? contentType = "application/json") =>
        UpstreamErrorMapper.Map(status, Encoding.UTF8.GetBytes(body), contentType);

    [Test]
    [Arguments(400, 400, "invalid_request_error")]
    [Arguments(401, 401, "authentication_error")]
    [Arguments(402, 402, "billing_error")]
    [Arguments(403, 403, "permission_error")]
    [Arguments(404, 404, "not_found_error")]
    [Arguments(413, 413, "request_too_large")]
    [Arguments(429, 429, "rate_limit_error")]
    [Arguments(500, 500, "api_error")]
    [Arguments(502, 502, "api_error")]
    [Arguments(503, 529, "overloaded_error")]
    [Arguments(504, 504, "timeout_error")]
    [Arguments(529, 529, "overloaded_error")]
    [Arguments(409, 409, "invalid_request_error")]
    [Arguments(422, 422, "invalid_request_error")]
    [Arguments(507, 507, "api_error")]
    [Arguments(200, 502, "api_error")]
    [Arguments(302, 502, "api_error")]
    public async Task Map_Status_FollowsAnthropicsTable(int upstream, int status, string type)
    {
        var mapped = Map(upstream, """{"error":{"message":"m"}}""");

        await Assert.That(mapped).IsEqualTo(new MappedError(status, type, "m"));
    }

    [Test]
    [Arguments("""{"error":{"message":"Incorrect API key provided: sk-abc***.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""", "Incorrect API key provided: sk-abc***.")]
    [Arguments("""{"error":{"code":401,"message":"API key not valid. Please pass a valid API key.","status":"UNAUTHENTICATED"}}""", "API key not valid. Please pass a valid API key.")]
    [Arguments("""[{"error":{"code":401,"message":"Gemini in an array","status":"UNAUTHENTICATED"}}]""", "Gemini in an array")]
    [Arguments("""{"detail":"Not authenticated"}""", "Not authenticated")]
    [Arguments("""{"detail":[{"loc":["body","messages",0,"content"],"msg":"field required","type":"value_error.missing"},{"loc":["body","model"],"msg":"bad model","type":"x"}]}""", "body.messages.0.content: field required; body.model: bad model")]
    [Arguments("""{"message":"Invalid token"}""", "Invalid token")]
    [Arguments("""{"error":"plain error string"}""", "plain error string")]
    [Arguments("""{"error":{"message":"Provider returned error","code":401,"metadata":{"raw":"{\"error\":\"bad key\"}","provider_name":"Chutes"}}}""", "Provider returned error (Chutes): {\"error\":\"bad key\"}")]
    [Arguments("""{"unexpected":true}""", """{"unexpected":true}""")]
    public async Task Map_JsonBodies_ExtractTheHumanMessage(string body, string message)
    {
        var mapped = Map(401, body);

        await Assert.That(mapped).IsEqualTo(new MappedError(401, "authentication_error", message));
    }

    [Test]
    public async Task Map_AnthropicShapedBody_KeepsItsType()
    {
        var mapped = Map(500, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""");

        await Assert.That(mapped).IsEqualTo(new MappedError(500, "overloaded_error", "Overloaded"));
    }

    [Test]
    [Arguments("""{"type":"error","error":{"type":"made_up_error","message":"x"}}""")]
    [Arguments("""{"error":{"type":"insufficient_quota","message":"x"}}""")]
    [Arguments("""{"error":{"type":"overloaded_error","message":"x"}}""")]
    public async Task Map_TypeNotFromAnAnthropicBody_FollowsTheStatus(string body)
    {
        var mapped = Map(429, body);

        await Assert.That(mapped.Type).IsEqualTo("rate_limit_error");
    }

    [Test]
    public async Task Map_HtmlPage_TakesItsTitle()
    {
        const string html = """
            <!DOCTYPE html>
            <html lang=en><head><meta charset=utf-8><title>Error 404 (Not Found)!!1</title><style>body{margin:0}</style></head>
            <body><p><b>404.</b> <ins>That’s an error.</ins></p></body></html>
            """;

        var mapped = Map(404, html, "text/html; charset=UTF-8");

        await Assert.That(mapped).IsEqualTo(new MappedError(404, "not_found_error", "Error 404 (Not Found)!!1"));
    }

    [Test]
    public async Task Map_HtmlWithoutTitle_KeepsTheVisibleTextOnOneLine()
    {
        const string html = "<html><head><script>var x = 1;</script></head><body>\n<h1>502   Bad Gateway</h1>\n<hr><center>nginx &amp; co</center>\n</body></html>";

        var mapped = Map(502, html, null);

        await Assert.That(mapped.Message).IsEqualTo("502 Bad Gateway nginx & co");
    }

    [Test]
    public async Task Map_PlainText_IsKeptOnOneLine()
    {
        var mapped = Map(500, "Internal Server Error\r\n\r\n  try again later", "text/plain");

        await Assert.That(mapped.Message).IsEqualTo("Internal Server Error try again later");
    }

    [Test]
    public async Task Map_PythonTraceback_IsDropped()
    {
        const string body = "Traceback (most recent call last):\n  File \"/app/server.py\", line 12, in handle\n    raise ValueError(\"bad\")\nValueError: bad input";

        var mapped = Map(500, body, "text/plain");

        await Assert.That(mapped.Message).IsEqualTo("ValueError: bad input");
    }

    [Test]
    public async Task Map_DotNetAndNodeStackFramesInAJsonMessage_AreDropped()
    {
        const string body = """{"error":{"message":"System.InvalidOperationException: broken\n   at Foo.Bar() in /src/Foo.cs:line 3\n--- End of stack trace from previous location ---\n    at process (node:internal/x.js:1:2)\nafter the trace"}}""";

        var mapped = Map(500, body);

        await Assert.That(mapped.Message).IsEqualTo("System.InvalidOperationException: broken after the trace");
    }

    [Test]
    public async Task Map_LongMessage_IsTrimmedTo500Characters()
    {
        var mapped = Map(400, new string('a', 2000), "text/plain");

        await Assert.That(mapped.Message.Length).IsEqualTo(500);
        await Assert.That(mapped.Message).EndsWith("a…");
    }

    [Test]
    [Arguments("", null)]
    [Arguments("  \n ", "text/plain")]
    [Arguments("{}", "application/json")]
    [Arguments("""{"error":{}}""", "application/json")]
    [Arguments("<html><body></body></html>", "text/html")]
    [Arguments("[]", "application/json")]
    public async Task Map_EmptyBody_NamesTheStatus(string body, string? contentType)
    {
        var mapped = Map(502, body, contentType);

        await Assert.That(mapped.Message).IsEqualTo("upstream returned HTTP 502");
    }

    [Test]
    [Arguments(400, """{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 150000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", "prompt is too long: 150000 tokens > 128000 maximum")]
    [Arguments(400, """{"object":"error","message":"This model's maximum context length is 32768 tokens. However, you requested 33,000 tokens (32000 in the messages, 1000 in the completion).","type":"BadRequestError","code":400}""", "prompt is too long: 33000 tokens > 32768 maximum")]
    [Arguments(413, """{"error":{"message":"Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 280000 tokens.","code":"context_length_exceeded"}}""", "prompt is too long: 280000 tokens > 272000 maximum")]
    [Arguments(422, """{"error":{"message":"too long","code":"context_length_exceeded"}}""", "prompt is too long: too long")]
    [Arguments(400, """{"error":{"message":"Requested tokens exceed the maximum context length of 8192"}}""", "prompt is too long: the maximum context length is 8192 tokens")]
    [Arguments(400, """{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}""", "prompt is too long: 208310 tokens > 200000 maximum")]
    public async Task Map_ContextLengthExceeded_IsAPromptTooLongInvalidRequest(int status, string body, string message)
    {
        var mapped = Map(status, body);

        await Assert.That(mapped).IsEqualTo(new MappedError(400, "invalid_request_error", message));
    }

    [Test]
    public async Task Map_NonJsonBodyLabelledJson_IsReadAsText()
    {
        var mapped = Map(500, "{not json", "application/json");

        await Assert.That(mapped.Message).IsEqualTo("{not json");
    }

    [Test]
    [Arguments("""{"error":{"message":"slow down","code":429}}""", 429, "rate_limit_error", "slow down")]
    [Arguments("""{"error":{"message":"odd","code":"E_ODD"}}""", 502, "api_error", "odd")]
    [Arguments("""{"error":{"code":200}}""", 502, "api_error", "upstream reported an error without a message")]
    public async Task MapInBand_ErrorInA200Body_UsesItsNumericCodeAsStatus(string body, int status, string type, string message)
    {
        var mapped = UpstreamErrorMapper.MapInBand(Encoding.UTF8.GetBytes(body));

        await Assert.That(mapped).IsEqualTo(new MappedError(status, type, message));
    }

    [Test]
    public async Task WriteBody_WritesAnthropicsErrorShape()
    {
        var output = new ArrayBufferWriter<byte>();

        new MappedError(529, "overloaded_error", "Overloaded \"now\" – é").WriteBody(output);

        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded \"now\" – é"}}""");
    }
}
