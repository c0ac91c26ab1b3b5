using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// Reads CA certificates the way OpenSSL's <c>SSL_CERT_FILE</c> and <c>SSL_CERT_DIR</c> are laid out: a file of PEM
/// certificates, or a directory of <c>.pem</c>, <c>.crt</c> and <c>.cer</c> files (PEM or DER) and OpenSSL's hashed
/// names (<c>1a2b3c4d.0</c>). Reports what it could not use instead of logging it: the configuration reader shows
/// the reasons at start-up (and in <c>vdm config validate</c>), and the upstream clients load again what it accepted.
/// </summary>
internal static class CertificateFiles
{
    /// <summary>Adds the certificates of <paramref name="path"/> to <paramref name="into"/>; the reason when there are none.</summary>
    public static string? ReadFile(string path, X509Certificate2Collection into)
    {
        var found = new X509Certificate2Collection();
        try
        {
            found.ImportFromPemFile(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "cannot be read: " + exception.Message;
        }
        catch (CryptographicException exception)
        {
            // ImportFromPemFile stops at a damaged certificate; one bad entry makes the whole bundle suspect.
            Dispose(found);
            return "has a certificate that cannot be decoded: " + exception.Message;
        }

        if (found.Count == 0 && !TryLoadDer(path, found))
        {
            return "contains no PEM certificate";
        }

        AddNew(found, into);
        return null;
    }

    /// <summary>
    /// Adds the certificates of every certificate file in <paramref name="path"/> (not its subdirectories, as OpenSSL);
    /// each file that cannot be used is skipped and named in <paramref name="skipped"/> with the reason.
    /// </summary>
    public static void ReadDirectory(string path, X509Certificate2Collection into, List<string> skipped)
    {
        IEnumerable<string> files;
        try
        {
            files = [.. Directory.EnumerateFiles(path).Where(IsCertificateName).Order(StringComparer.Ordinal)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            skipped.Add($"{path}: cannot be read: {exception.Message}");
            return;
        }

        foreach (var file in files)
        {
            if (ReadFile(file, into) is { } problem)
            {
                skipped.Add($"{Path.GetFileName(file)}: {problem}");
            }
        }
    }

    /// <summary>
    /// Why <paramref name="path"/> gives no certificate, or null when it gives some; for the configuration reader,
    /// which keeps none.
    /// </summary>
    public static string? CheckFile(string path)
    {
        var certificates = new X509Certificate2Collection();
        var problem = ReadFile(path, certificates);
        Dispose(certificates);
        return problem;
    }

    /// <summary>How many distinct certificates <paramref name="path"/> gives; <paramref name="skipped"/> gets the unusable files.</summary>
    public static int CheckDirectory(string path, List<string> skipped)
    {
        var certificates = new X509Certificate2Collection();
        ReadDirectory(path, certificates, skipped);
        Dispose(certificates);
        return certificates.Count;
    }

    /// <summary><c>.pem</c>, <c>.crt</c>, <c>.cer</c>, or an OpenSSL hash link such as <c>1a2b3c4d.0</c> (not <c>.r0</c>, a CRL).</summary>
    internal static bool IsCertificateName(string path)
    {
        var name = Path.GetFileName(path);
        var extension = Path.GetExtension(name);
        if (extension.Equals(".pem", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".crt", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".cer", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return name.Length > 9 && name[8] == '.' && name[..8].All(char.IsAsciiHexDigit) && name[9..].All(char.IsAsciiDigit);
    }

    /// <summary>A <c>.cer</c> or <c>.crt</c> is often DER: one binary certificate.</summary>
    private static bool TryLoadDer(string path, X509Certificate2Collection found)
    {
        try
        {
            found.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Adds what <paramref name="into"/> lacks; a system directory holds each certificate under two names.</summary>
    private static void AddNew(X509Certificate2Collection found, X509Certificate2Collection into)
    {
        foreach (var certificate in found)
        {
            if (into.Any(known => known.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
            {
                certificate.Dispose();
            }
            else
            {
                into.Add(certificate);
            }
        }
    }

    private static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
