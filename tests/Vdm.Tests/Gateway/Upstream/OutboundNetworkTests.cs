using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Upstream;

/// <summary>
/// The proof for HTTPS_PROXY, NO_PROXY and SSL_CERT_FILE through the real server: an https provider named
/// upstream.test, a name no DNS knows, reached through a local CONNECT proxy and served with a certificate from a CA
/// that only SSL_CERT_FILE makes trusted.
/// </summary>
public class OutboundNetworkTests
{
    private const string OpenAIAnswer = """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}""";

    private const string Question = """{"model":"openai:gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";

    [Test]
    public async Task HttpsProvider_ThroughConnectProxyWithTheProxysCa_IsAnswered()
    {
        await using var world = await ProxiedWorld.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.SettingsFromFile(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "https://upstream.test/v1"), ("HTTPS_PROXY", world.Proxy.Url), ("SSL_CERT_FILE", world.CaFile)));

        using var response = await PostAsync(gateway);
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).Contains("""{"type":"text","text":"Hello!"}""");
        await Assert.That(world.Proxy.Requests.Select(request => request.RequestLine)).IsEquivalentTo(["CONNECT upstream.test:443 HTTP/1.1"]);
        await Assert.That(world.Upstream.Received.Single().Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(world.Upstream.Received.Single().Header("host")).IsEqualTo("upstream.test");
    }

    [Test]
    public async Task HttpsProvider_WithoutTheCa_FailsWith502AfterReachingTheProxy()
    {
        await using var world = await ProxiedWorld.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "https://upstream.test/v1"), ("HTTPS_PROXY", world.Proxy.Url)));

        using var response = await PostAsync(gateway);
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).StartsWith("""{"type":"error",""");
        await Assert.That(world.Proxy.Requests.Select(request => request.RequestLine)).IsEquivalentTo(["CONNECT upstream.test:443 HTTP/1.1"]);
        await Assert.That(world.Upstream.Received).IsEmpty();
    }

    [Test]
    public async Task HttpsProvider_NamedInNoProxy_GoesDirectAndTheProxySeesNothing()
    {
        await using var world = await ProxiedWorld.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.SettingsFromFile(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "https://upstream.test/v1"), ("HTTPS_PROXY", world.Proxy.Url),
            ("SSL_CERT_FILE", world.CaFile), ("NO_PROXY", "localhost, upstream.test")));

        // Direct, upstream.test has to be looked up, and .test names never resolve.
        using var response = await PostAsync(gateway);
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).StartsWith("""{"type":"error",""");
        await Assert.That(world.Proxy.Requests).IsEmpty();
    }

    [Test]
    public async Task ProxyUrlWithCredentials_AnswersTheProxysChallengeAndNothingElseSeesThem()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("corp user:p@ss"));
        await using var world = await ProxiedWorld.StartAsync(requiredAuthorization: expected);
        var proxyWithCredentials = world.Proxy.Url.Replace("http://", "http://corp%20user:p%40ss@", StringComparison.Ordinal);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.SettingsFromFile(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "https://upstream.test/v1"), ("HTTPS_PROXY", proxyWithCredentials), ("SSL_CERT_FILE", world.CaFile)));

        using var response = await PostAsync(gateway);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(world.Proxy.Requests.Select(request => request.Header("proxy-authorization"))).IsEquivalentTo([null, expected]);
        await Assert.That(world.Upstream.Received.Single().Header("proxy-authorization")).IsNull();
    }

    [Test]
    public async Task LoopbackProvider_WithProxiesConfigured_IsReachedDirectly()
    {
        await using var world = await ProxiedWorld.StartAsync();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("HTTP_PROXY", world.Proxy.Url), ("HTTPS_PROXY", world.Proxy.Url)));

        using var response = await PostAsync(gateway);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received).HasSingleItem();
        await Assert.That(world.Proxy.Requests).IsEmpty();
    }

    [Test]
    public async Task ProxyThatRefusesConnections_IsNamedAsTheProxyInThe502()
    {
        var port = ClosedPort.Find();

        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "https://upstream.test/v1"), ("HTTPS_PROXY", $"http://127.0.0.1:{port}"), ("MAX_RETRIES", "0")));

        using var response = await PostAsync(gateway);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            $"could not connect to the outbound proxy http://127.0.0.1:{port} on the way to provider 'openai' at https://upstream.test/v1/chat/completions: Connection refused");
    }

    private static Task<HttpResponseMessage> PostAsync(RunningGateway gateway) =>
        gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative), new StringContent(Question, Encoding.UTF8, "application/json"));

    /// <summary>The network outside the gateway: the test CA, the https provider its certificate serves, and the proxy in front.</summary>
    private sealed class ProxiedWorld : IAsyncDisposable
    {
        private readonly TestCertificateAuthority _authority;
        private readonly X509Certificate2 _serverCertificate;
        private readonly DirectoryInfo _directory;

        private ProxiedWorld(TestCertificateAuthority authority, X509Certificate2 serverCertificate, DirectoryInfo directory, TlsUpstream upstream, ConnectProxy proxy)
        {
            _authority = authority;
            _serverCertificate = serverCertificate;
            _directory = directory;
            Upstream = upstream;
            Proxy = proxy;
        }

        public TlsUpstream Upstream { get; }

        public ConnectProxy Proxy { get; }

        /// <summary>The CA certificate as a PEM file, for SSL_CERT_FILE.</summary>
        public string CaFile => Path.Combine(_directory.FullName, "ca.pem");

        public static async Task<ProxiedWorld> StartAsync(string? requiredAuthorization = null)
        {
            var authority = TestCertificateAuthority.Create();
            var directory = Directory.CreateTempSubdirectory("vdm-outbound-");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), authority.Pem);
            var certificate = authority.IssueServer("upstream.test");
            var upstream = await TlsUpstream.StartAsync(certificate);
            upstream.Answer = OpenAIAnswer;
            return new ProxiedWorld(authority, certificate, directory, upstream, ConnectProxy.Start(upstream.Port, requiredAuthorization));
        }

        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Upstream.DisposeAsync();
            _serverCertificate.Dispose();
            _authority.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
