using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// The CA certificates of <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c>, trusted for providers besides the system's:
/// a certificate the platform rejects only because its chain ends at an unknown root is accepted when it chains to
/// one of these. Everything else the platform checks (the name, expiry, key usage) still has to pass.
/// </summary>
internal sealed class TrustedRoots : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2Collection _certificates;

    internal TrustedRoots(X509Certificate2Collection certificates)
    {
        _certificates = certificates;
    }

    public int Count => _certificates.Count;

    /// <summary>
    /// The certificates <paramref name="network"/> names, or null when it names none or none can be read (the
    /// configuration reader has reported why), so the platform's own validation runs alone, at no extra cost.
    /// </summary>
    public static TrustedRoots? Load(OutboundNetwork network)
    {
        var certificates = new X509Certificate2Collection();
        if (network.CaFile is { } file)
        {
            CertificateFiles.ReadFile(file, certificates);
        }

        if (network.CaDirectory is { } directory)
        {
            CertificateFiles.ReadDirectory(directory, certificates, []);
        }

        return certificates.Count == 0 ? null : new TrustedRoots(certificates);
    }

    /// <summary>The <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/> of provider connections.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A wrong name or no certificate is not cured by trusting more roots.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var custom = new X509Chain();
        var policy = custom.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_certificates);
        if (chain is null)
        {
            policy.ApplicationPolicy.Add(ServerAuthentication);
            policy.RevocationMode = X509RevocationMode.NoCheck;
        }
        else
        {
            // The checks the platform made, with these roots: the server's intermediates, server-auth usage and the
            // handler's revocation mode (none, by default) come over from its chain.
            var platform = chain.ChainPolicy;
            policy.ExtraStore.AddRange(platform.ExtraStore);
            foreach (var oid in platform.ApplicationPolicy)
            {
                policy.ApplicationPolicy.Add(oid);
            }

            foreach (var oid in platform.CertificatePolicy)
            {
                policy.CertificatePolicy.Add(oid);
            }

            policy.RevocationMode = platform.RevocationMode;
            policy.RevocationFlag = platform.RevocationFlag;
            policy.DisableCertificateDownloads = platform.DisableCertificateDownloads;
        }

        return custom.Build(leaf);
    }

    public void Dispose()
    {
        foreach (var certificate in _certificates)
        {
            certificate.Dispose();
        }
    }
}
