using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vdm.Tests.TestSupport;

/// <summary>
/// A certificate authority made for one test: no system trusts it, so a certificate it issues passes only where the
/// test hands its certificate over as a trusted root.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly ECDsa _key;

    private TestCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        Certificate = certificate;
    }

    /// <summary>The CA certificate, without its key: what a trust store holds.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, ending in a newline as in a CA bundle.</summary>
    public string Pem => Certificate.ExportCertificatePem() + "\n";

    public static TestCertificateAuthority Create(string name = "vdm test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new TestCertificateAuthority(key, X509CertificateLoader.LoadCertificate(withKey.RawData));
    }

    /// <summary>A TLS server certificate for <paramref name="dnsNames"/>, with its private key, signed by this CA.</summary>
    public X509Certificate2 IssueServer(params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in dnsNames)
        {
            names.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        return Sign(request, key, isAuthority: false);
    }

    /// <summary>An intermediate CA under this one, for chains the server has to send in full.</summary>
    public TestCertificateAuthority IssueIntermediate(string name = "vdm test intermediate")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        using var certificate = Sign(request, key, isAuthority: true);
        return new TestCertificateAuthority(key, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request, ECDsa key, bool isAuthority)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issuer = Certificate.CopyWithPrivateKey(_key);
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        if (isAuthority)
        {
            return X509CertificateLoader.LoadCertificate(issued.RawData);
        }

        // Through PKCS#12 so the key is one TLS can use on every platform, not an ephemeral handle.
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
