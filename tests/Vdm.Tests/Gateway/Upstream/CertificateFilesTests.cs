using System.Security.Cryptography.X509Certificates;
using Vdm.Gateway.Upstream;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Upstream;

public sealed class CertificateFilesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-certs-");
    private readonly TestCertificateAuthority _first = TestCertificateAuthority.Create("first CA");
    private readonly TestCertificateAuthority _second = TestCertificateAuthority.Create("second CA");

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        _directory.Delete(recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public async Task ReadFile_PemBundle_AddsEveryCertificate()
    {
        var path = Write("bundle.pem", "# corporate roots\n" + _first.Pem + "\n" + _second.Pem);
        var certificates = new X509Certificate2Collection();

        var problem = CertificateFiles.ReadFile(path, certificates);

        await Assert.That(problem).IsNull();
        await Assert.That(certificates.Select(certificate => certificate.Subject)).IsEquivalentTo(["CN=first CA", "CN=second CA"]);
    }

    [Test]
    public async Task ReadFile_DerCertificate_IsAddedToo()
    {
        var path = Path.Combine(_directory.FullName, "root.cer");
        await File.WriteAllBytesAsync(path, _first.Certificate.RawData);
        var certificates = new X509Certificate2Collection();

        var problem = CertificateFiles.ReadFile(path, certificates);

        await Assert.That(problem).IsNull();
        await Assert.That(certificates.Single().Subject).IsEqualTo("CN=first CA");
    }

    [Test]
    public async Task ReadFile_NoCertificateInIt_SaysSo()
    {
        var path = Write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        var certificates = new X509Certificate2Collection();

        var problem = CertificateFiles.ReadFile(path, certificates);

        await Assert.That(problem).IsEqualTo("contains no PEM certificate");
        await Assert.That(certificates).IsEmpty();
    }

    [Test]
    public async Task ReadFile_DamagedCertificate_RejectsTheWholeFile()
    {
        var path = Write("broken.pem", _first.Pem + "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        var certificates = new X509Certificate2Collection();

        var problem = CertificateFiles.ReadFile(path, certificates);

        await Assert.That(problem).StartsWith("has a certificate that cannot be decoded: ");
        await Assert.That(certificates).IsEmpty();
    }

    [Test]
    public async Task ReadDirectory_CertificateFiles_AreReadOnceEachAndTheUnusableNamed()
    {
        Write("first.pem", _first.Pem);
        Write("0a1b2c3d.0", _first.Pem);
        await File.WriteAllBytesAsync(Path.Combine(_directory.FullName, "second.crt"), _second.Certificate.RawData);
        Write("notes.pem", "not a certificate");
        Write("README", "not a certificate file name, so not read");
        Write("0a1b2c3d.r0", "a CRL by its name, so not read");
        Directory.CreateDirectory(Path.Combine(_directory.FullName, "nested.pem"));
        var certificates = new X509Certificate2Collection();
        var skipped = new List<string>();

        CertificateFiles.ReadDirectory(_directory.FullName, certificates, skipped);

        await Assert.That(certificates.Select(certificate => certificate.Subject)).IsEquivalentTo(["CN=first CA", "CN=second CA"]);
        await Assert.That(skipped).IsEquivalentTo(["notes.pem: contains no PEM certificate"]);
    }

    [Test]
    public async Task CheckFileAndDirectory_ReportWithoutKeepingAnything()
    {
        var file = Write("bundle.pem", _first.Pem + _second.Pem);
        var skipped = new List<string>();

        await Assert.That(CertificateFiles.CheckFile(file)).IsNull();
        await Assert.That(CertificateFiles.CheckDirectory(_directory.FullName, skipped)).IsEqualTo(2);
        await Assert.That(skipped).IsEmpty();
    }

    [Test]
    [Arguments("ca.pem", true)]
    [Arguments("CA.CRT", true)]
    [Arguments("root.cer", true)]
    [Arguments("5a3f0b9c.0", true)]
    [Arguments("5A3F0B9C.12", true)]
    [Arguments("5a3f0b9c.r0", false)]
    [Arguments("5a3f0b9.0", false)]
    [Arguments("5a3f0b9g.0", false)]
    [Arguments("ca.key", false)]
    [Arguments("README", false)]
    public async Task IsCertificateName_AsOpenSslLaysOutADirectory(string name, bool expected)
    {
        await Assert.That(CertificateFiles.IsCertificateName("/etc/ssl/certs/" + name)).IsEqualTo(expected);
    }
}
