using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Vdm.Gateway;

namespace Vdm.Tests.Gateway;

public class ErrorShapingMiddlewareTests
{
    [Test]
    public async Task InvokeAsync_HandlerThrows_Returns500ApiErrorWithoutTheExceptionText()
    {
        var context = NewContext();
        var middleware = new ErrorShapingMiddleware(_ => throw new InvalidOperationException("secret internals"), NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);
        var body = ReadBody(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(500);
        await Assert.That(body).StartsWith("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":");
        await Assert.That(body).DoesNotContain("secret internals");
    }

    [Test]
    public async Task InvokeAsync_EmptyErrorStatus_GetsABodyOfTheMatchingType()
    {
        var context = NewContext();
        var middleware = new ErrorShapingMiddleware(c =>
        {
            c.Response.StatusCode = 429;
            return Task.CompletedTask;
        }, NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        await Assert.That(ReadBody(context)).IsEqualTo(
            "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"The request failed with status 429\"}}");
    }

    [Test]
    public async Task InvokeAsync_BodyTooLarge_Is413RequestTooLarge()
    {
        var context = NewContext();
        var middleware = new ErrorShapingMiddleware(_ => throw new BadHttpRequestException("too big", 413), NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(413);
        await Assert.That(ReadBody(context)).IsEqualTo(
            "{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\",\"message\":\"The request body is larger than the gateway accepts.\"}}");
    }

    [Test]
    public async Task InvokeAsync_BodyTooLargeOnChatCompletions_Is413InOpenAIShapeWithItsCode()
    {
        var context = NewContext();
        context.Request.Path = "/v1/chat/completions";
        var middleware = new ErrorShapingMiddleware(_ => throw new BadHttpRequestException("too big", 413), NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(413);
        await Assert.That(ReadBody(context)).IsEqualTo(
            "{\"error\":{\"message\":\"The request body is larger than the gateway accepts.\",\"type\":\"invalid_request_error\",\"code\":\"request_too_large\",\"param\":null}}");
    }

    [Test]
    public async Task InvokeAsync_HandlerThrows_KeepsTheRequestIdHeader()
    {
        var context = NewContext();
        var request = RequestContext.Begin(context);
        context.Response.Headers[RequestContext.HeaderName] = request.RequestId;
        var middleware = new ErrorShapingMiddleware(_ => throw new InvalidOperationException("boom"), NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        await Assert.That(context.Response.Headers[RequestContext.HeaderName].ToString()).IsEqualTo(request.RequestId);
    }

    [Test]
    public async Task InvokeAsync_SuccessfulResponse_IsLeftAlone()
    {
        var context = NewContext();
        var middleware = new ErrorShapingMiddleware(_ => Task.CompletedTask, NullLogger<ErrorShapingMiddleware>.Instance);

        await middleware.InvokeAsync(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(200);
        await Assert.That(ReadBody(context)).IsEqualTo("");
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string ReadBody(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
