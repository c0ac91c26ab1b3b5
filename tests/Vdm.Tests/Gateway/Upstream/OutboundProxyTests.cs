using Vdm.Gateway.Configuration;
using Vdm.Gateway.Upstream;

namespace Vdm.Tests.Gateway.Upstream;

public class OutboundProxyTests
{
    private static OutboundProxy Proxy(string? https = "http://secure-proxy:3128", string? http = "http://plain-proxy:8080", string? noProxy = null) =>
        OutboundProxy.Create(new OutboundNetwork(https, http, noProxy, null, null)) ?? throw new InvalidOperationException("no proxy");

    [Test]
    public async Task Create_NoProxyConfigured_IsNull()
    {
        await Assert.That(OutboundProxy.Create(OutboundNetwork.Direct)).IsNull();
        await Assert.That(OutboundProxy.Create(new OutboundNetwork(null, null, "example.com", "/ca.pem", null))).IsNull();
    }

    [Test]
    [Arguments("https://api.openai.com/v1", "http://secure-proxy:3128/")]
    [Arguments("http://models.internal:8000/v1", "http://plain-proxy:8080/")]
    public async Task GetProxy_ProviderScheme_PicksThatSchemesProxy(string url, string expected)
    {
        var proxy = Proxy();

        await Assert.That(proxy.GetProxy(new Uri(url))).IsEqualTo(new Uri(expected));
        await Assert.That(proxy.IsBypassed(new Uri(url))).IsFalse();
    }

    [Test]
    [Arguments(null, "http://plain-proxy:8080", "https://api.openai.com/v1")]
    [Arguments("http://secure-proxy:3128", null, "http://models.internal:8000/v1")]
    public async Task GetProxy_NoProxyForTheScheme_GoesDirect(string? https, string? http, string url)
    {
        var proxy = Proxy(https, http);

        await Assert.That(proxy.GetProxy(new Uri(url))).IsNull();
        await Assert.That(proxy.IsBypassed(new Uri(url))).IsTrue();
    }

    [Test]
    [Arguments("https://localhost/v1")]
    [Arguments("http://LOCALHOST:11434/v1")]
    [Arguments("http://ollama.localhost:11434/v1")]
    [Arguments("http://127.0.0.1:1234/v1")]
    [Arguments("http://127.8.9.10/v1")]
    [Arguments("http://[::1]:8000/v1")]
    [Arguments("http://[::ffff:127.0.0.1]:8000/v1")]
    public async Task GetProxy_LoopbackHost_IsNeverProxied(string url)
    {
        var proxy = Proxy();

        await Assert.That(proxy.GetProxy(new Uri(url))).IsNull();
        await Assert.That(proxy.IsBypassed(new Uri(url))).IsTrue();
    }

    [Test]
    [Arguments("https://localhost.example.com/v1")]
    [Arguments("https://128.0.0.1/v1")]
    [Arguments("https://[::2]/v1")]
    public async Task GetProxy_HostThatOnlyLooksLocal_IsProxied(string url)
    {
        await Assert.That(Proxy().GetProxy(new Uri(url))).IsEqualTo(new Uri("http://secure-proxy:3128/"));
    }

    [Test]
    public async Task GetProxy_HostInNoProxy_GoesDirectAndOthersDoNot()
    {
        var proxy = Proxy(noProxy: "internal.example, 10.0.0.0/8");

        await Assert.That(proxy.GetProxy(new Uri("https://llm.internal.example/v1"))).IsNull();
        await Assert.That(proxy.GetProxy(new Uri("http://10.2.3.4:8000/v1"))).IsNull();
        await Assert.That(proxy.GetProxy(new Uri("https://api.openai.com/v1"))).IsEqualTo(new Uri("http://secure-proxy:3128/"));
    }

    [Test]
    public async Task Credentials_InTheProxyUrl_AreOfferedToThatProxyOnlyAndLeftOutOfItsAddress()
    {
        var proxy = Proxy(https: "http://corp%5Cjane:p%40ss:word@secure-proxy:3128", http: "http://plain-proxy:8080");

        var address = proxy.GetProxy(new Uri("https://api.openai.com/v1"))!;
        var credential = proxy.Credentials?.GetCredential(address, "Basic");

        await Assert.That(address.ToString()).IsEqualTo("http://secure-proxy:3128/");
        await Assert.That(credential?.UserName).IsEqualTo(@"corp\jane");
        await Assert.That(credential?.Password).IsEqualTo("p@ss:word");
        await Assert.That(proxy.Credentials?.GetCredential(new Uri("http://plain-proxy:8080/"), "Basic")).IsNull();
        await Assert.That(proxy.Credentials?.GetCredential(new Uri("http://elsewhere:3128/"), "Basic")).IsNull();
    }

    [Test]
    public async Task Credentials_EachProxyItsOwn()
    {
        var proxy = Proxy(https: "http://a:1@secure-proxy:3128", http: "http://b:2@plain-proxy:8080");

        var https = proxy.Credentials?.GetCredential(proxy.GetProxy(new Uri("https://x.test"))!, "Basic");
        var http = proxy.Credentials?.GetCredential(proxy.GetProxy(new Uri("http://x.test"))!, "Basic");

        await Assert.That(https?.UserName).IsEqualTo("a");
        await Assert.That(http?.UserName).IsEqualTo("b");
    }

    [Test]
    public async Task Credentials_NoneInTheUrls_AreNull()
    {
        await Assert.That(Proxy().Credentials).IsNull();
    }

    [Test]
    public async Task Credentials_UserOnlyInTheUrl_HasAnEmptyPassword()
    {
        var proxy = Proxy(https: "http://token@secure-proxy:3128");

        var credential = proxy.Credentials?.GetCredential(new Uri("http://secure-proxy:3128/"), "Basic");

        await Assert.That(credential?.UserName).IsEqualTo("token");
        await Assert.That(credential?.Password).IsEqualTo("");
    }
}
