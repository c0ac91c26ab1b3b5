using System.Security.Cryptography.X509Certificates;
using Vdm.Gateway.Upstream;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Upstream;

public class UpstreamClientsTests
{
    [Test]
    public async Task CreateHandler_NoProxyConfigured_UsesNoneNotEvenTheEnvironments()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "k"));

        using var handler = UpstreamClients.CreateHandler(settings, OutboundProxy.Create(settings.Outbound), null);

        await Assert.That(handler.UseProxy).IsFalse();
        await Assert.That(handler.Proxy).IsNull();
    }

    [Test]
    public async Task CreateHandler_ProxyConfigured_UsesTheConfiguredOne()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "k"), ("HTTPS_PROXY", "http://proxy.corp:3128"));
        var proxy = OutboundProxy.Create(settings.Outbound);

        using var handler = UpstreamClients.CreateHandler(settings, proxy, null);

        await Assert.That(handler.UseProxy).IsTrue();
        await Assert.That(handler.Proxy).IsSameReferenceAs(proxy);
        await Assert.That(handler.Proxy?.GetProxy(new Uri("https://api.openai.com/v1"))).IsEqualTo(new Uri("http://proxy.corp:3128/"));
    }

    [Test]
    public async Task CreateHandler_NoCaConfigured_LeavesValidationToThePlatform()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "k"));

        using var handler = UpstreamClients.CreateHandler(settings, null, TrustedRoots.Load(settings.Outbound));

        await Assert.That(handler.SslOptions.RemoteCertificateValidationCallback).IsNull();
    }

    [Test]
    public async Task CreateHandler_CaConfigured_ValidatesWithIt()
    {
        using var authority = TestCertificateAuthority.Create();
        using var roots = new TrustedRoots([X509CertificateLoader.LoadCertificate(authority.Certificate.RawData)]);

        using var handler = UpstreamClients.CreateHandler(TestVariables.Settings(("OPENAI_API_KEY", "k")), null, roots);

        await Assert.That(handler.SslOptions.RemoteCertificateValidationCallback).IsNotNull();
    }
}
