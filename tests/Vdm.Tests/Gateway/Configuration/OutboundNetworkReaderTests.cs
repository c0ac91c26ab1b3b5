using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

/// <summary>What <c>vdm config validate</c> says about NO_PROXY and the CA variables before any provider is called.</summary>
public sealed class OutboundNetworkReaderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-outbound-config-");
    private readonly TestCertificateAuthority _authority = TestCertificateAuthority.Create();

    public void Dispose()
    {
        _authority.Dispose();
        _directory.Delete(recursive: true);
    }

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_directory.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public async Task Read_CaFileWithCertificates_IsKeptAsAFullPath()
    {
        var path = Write("corp-ca.pem", _authority.Pem);

        var settings = TestVariables.SettingsFromFile(("SSL_CERT_FILE", path));

        await Assert.That(settings.Outbound.CaFile).IsEqualTo(Path.GetFullPath(path));
    }

    [Test]
    public async Task Read_CaFileWithoutACertificate_IsAnError()
    {
        var path = Write("corp-ca.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        var result = TestVariables.LoadFile(("ssl_cert_file", path));

        await Assert.That(result.Errors).IsEquivalentTo([$"ssl_cert_file={path} (./.env): contains no PEM certificate"]);
    }

    [Test]
    public async Task Read_ExportedCaVariablesOnLinux_AreLeftToThePlatformWhichAlreadyTrustsThem()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip.Test("Only Linux's OpenSSL reads SSL_CERT_FILE and SSL_CERT_DIR from the environment itself");
        }

        var path = Write("corp-ca.pem", "not even a certificate");

        var result = TestVariables.Load(("SSL_CERT_FILE", path), ("SSL_CERT_DIR", "/nonexistent/certs"));

        // Nothing parsed, nothing added: the exported values are the platform's own trust store already.
        await Assert.That(result.Settings!.Outbound.CaFile).IsNull();
        await Assert.That(result.Settings.Outbound.CaDirectory).IsNull();
        await Assert.That(result.Warnings).IsEquivalentTo(["SSL_CERT_DIR=/nonexistent/certs (env): is not a directory; it is ignored"]);
    }

    [Test]
    public async Task Read_CaDirectoryWithSomeUnusableFiles_WarnsAboutEach()
    {
        var directory = Path.Combine(_directory.FullName, "certs");
        Write("certs/corp.pem", _authority.Pem);
        Write("certs/empty.crt", "");

        var result = TestVariables.LoadFile(("SSL_CERT_DIR", directory));

        await Assert.That(result.Settings?.Outbound.CaDirectory).IsEqualTo(directory);
        await Assert.That(result.Warnings).IsEquivalentTo([$"SSL_CERT_DIR={directory} (./.env): skipped empty.crt: contains no PEM certificate"]);
    }

    [Test]
    public async Task Read_CaDirectoryWithNoCertificate_IsAnError()
    {
        var directory = Path.Combine(_directory.FullName, "certs");
        Write("certs/README", "put the corporate CA here");

        var result = TestVariables.LoadFile(("SSL_CERT_DIR", directory));

        await Assert.That(result.Errors).IsEquivalentTo(
            [$"SSL_CERT_DIR={directory} (./.env): contains no certificate (.pem, .crt, .cer, or OpenSSL hash names such as 1a2b3c4d.0)"]);
    }

    [Test]
    public async Task Read_NoProxyWithAUrlInIt_WarnsAndKeepsTheRest()
    {
        var result = TestVariables.Load(("NO_PROXY", "https://internal.example, 10.0.0.0/8"));

        await Assert.That(result.Settings?.Outbound.NoProxy).IsEqualTo("https://internal.example, 10.0.0.0/8");
        await Assert.That(result.Warnings).IsEquivalentTo(
            ["NO_PROXY (env): 'https://internal.example' is not a host name, IP address or CIDR range (a URL is not an entry); it is ignored"]);
    }
}
