using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Upstream;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Upstream;

public sealed class TrustedRootsTests : IDisposable
{
    private readonly TestCertificateAuthority _trusted = TestCertificateAuthority.Create("trusted CA");
    private readonly TestCertificateAuthority _unknown = TestCertificateAuthority.Create("unknown CA");
    private readonly TrustedRoots _roots;

    public TrustedRootsTests()
    {
        _roots = new TrustedRoots([X509CertificateLoader.LoadCertificate(_trusted.Certificate.RawData)]);
    }

    public void Dispose()
    {
        _roots.Dispose();
        _trusted.Dispose();
        _unknown.Dispose();
    }

    /// <summary>The chain SslStream hands the callback: the certificates the server sent besides its own, server-auth usage, the handler's revocation mode (none).</summary>
    private static X509Chain ChainAsSslStreamBuildsIt(params X509Certificate2[] sentByServer)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(sentByServer);
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain;
    }

    [Test]
    public async Task Validate_PlatformFoundNoError_Accepts()
    {
        using var server = _unknown.IssueServer("api.example.com");

        await Assert.That(_roots.Validate(this, server, null, SslPolicyErrors.None)).IsTrue();
    }

    [Test]
    public async Task Validate_UnknownRootThatIsOneOfThese_Accepts()
    {
        using var server = _trusted.IssueServer("upstream.test");

        await Assert.That(_roots.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors)).IsTrue();
    }

    [Test]
    public async Task Validate_UnknownRootThatIsNotOneOfThese_Rejects()
    {
        using var server = _unknown.IssueServer("upstream.test");

        await Assert.That(_roots.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors)).IsFalse();
    }

    [Test]
    [Arguments(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [Arguments(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    [Arguments(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public async Task Validate_AnyErrorBesidesTheChain_RejectsEvenATrustedCertificate(SslPolicyErrors errors)
    {
        using var server = _trusted.IssueServer("upstream.test");

        await Assert.That(_roots.Validate(this, server, null, errors)).IsFalse();
    }

    [Test]
    public async Task Validate_NoCertificate_Rejects()
    {
        await Assert.That(_roots.Validate(this, null, null, SslPolicyErrors.RemoteCertificateChainErrors)).IsFalse();
    }

    [Test]
    public async Task Validate_IntermediateTheServerSent_CompletesTheChain()
    {
        using var intermediate = _trusted.IssueIntermediate();
        using var server = intermediate.IssueServer("upstream.test");
        using var platformChain = ChainAsSslStreamBuildsIt(intermediate.Certificate);

        var withIntermediate = _roots.Validate(this, server, platformChain, SslPolicyErrors.RemoteCertificateChainErrors);
        var withoutIntermediate = _roots.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors);

        await Assert.That(withIntermediate).IsTrue();
        await Assert.That(withoutIntermediate).IsFalse();
    }

    [Test]
    public async Task Validate_PlatformChainChecksRevocation_SoDoesTheCustomChain()
    {
        using var server = _trusted.IssueServer("upstream.test");
        using var platformChain = ChainAsSslStreamBuildsIt();
        platformChain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
        platformChain.ChainPolicy.DisableCertificateDownloads = true;

        // The test CA publishes no revocation list, so a chain that must check one cannot be built.
        await Assert.That(_roots.Validate(this, server, platformChain, SslPolicyErrors.RemoteCertificateChainErrors)).IsFalse();
    }

    [Test]
    public async Task Load_NoCaConfigured_IsNull()
    {
        await Assert.That(TrustedRoots.Load(OutboundNetwork.Direct)).IsNull();
    }

    [Test]
    public async Task Load_FileAndDirectory_TrustsTheCertificatesOfBoth()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-roots-");
        try
        {
            var file = Path.Combine(directory.FullName, "bundle.pem");
            await File.WriteAllTextAsync(file, _trusted.Pem);
            var certs = directory.CreateSubdirectory("certs");
            await File.WriteAllTextAsync(Path.Combine(certs.FullName, "unknown.pem"), _unknown.Pem);

            using var roots = TrustedRoots.Load(new OutboundNetwork(null, null, null, file, certs.FullName));
            using var server = _unknown.IssueServer("upstream.test");

            await Assert.That(roots?.Count).IsEqualTo(2);
            await Assert.That(roots!.Validate(this, server, null, SslPolicyErrors.RemoteCertificateChainErrors)).IsTrue();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
