using System.Net;
using System.Text;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Auth;

/// <summary>PROXY_API_KEY through the real server: who gets in, and which key reaches the provider.</summary>
public class ClientAuthMiddlewareTests
{
    private const string Answer = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";

    private static HttpRequestMessage Messages(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative))
        {
            Content = new StringContent("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    [Test]
    public async Task ProxyKeyMissing_Is401AndNothingGoesUpstream()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-static"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", "gateway-secret")));

        using var response = await gateway.Client.SendAsync(Messages());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("authentication_error");
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task ProxyKeyWrong_Is401WithoutEchoingIt()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("PROXY_API_KEY", "gateway-secret")));

        using var response = await gateway.Client.SendAsync(Messages(("x-api-key", "guess-123")));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await response.Content.ReadAsStringAsync()).DoesNotContain("guess-123");
    }

    [Test]
    public async Task ProxyKeyRight_IsLetInAndNeverForwarded()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-static"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", "gateway-secret")));

        using var response = await gateway.Client.SendAsync(Messages(("x-api-key", "gateway-secret")));
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(sent.Header("authorization")).IsEqualTo("Bearer sk-static");
        await Assert.That(string.Join(";", sent.Headers.Values)).DoesNotContain("gateway-secret");
    }

    [Test]
    public async Task ProxyKeyInItsOwnHeader_LetsThePassthroughKeyThrough()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "!PASSTHRU"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("PROXY_API_KEY", "gateway-secret")));

        using var response = await gateway.Client.SendAsync(Messages(("x-vdm-proxy-key", "gateway-secret"), ("x-api-key", "sk-client-own")));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Single().Header("authorization")).IsEqualTo("Bearer sk-client-own");
    }

    [Test]
    public async Task Health_NeedsNoProxyKey()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("PROXY_API_KEY", "gateway-secret")));

        using var response = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }
}
