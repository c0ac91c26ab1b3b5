using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads <see cref="OutboundNetwork"/>: the proxy variables in either case (upper case wins, as curl does), proxy URLs
/// checked to be http(s) URLs (a bare <c>host:port</c> means http://, as curl reads it), <c>NO_PROXY</c> entries
/// checked to be usable, CA paths checked to exist and to hold certificates, so <c>vdm config validate</c> finds a
/// wrong bundle before a provider call fails on it.
/// </summary>
internal static class OutboundNetworkReader
{
    public static OutboundNetwork Read(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        var httpsProxy = ReadProxy(variables, diagnostics, VariableCatalog.HttpsProxy);
        var httpProxy = ReadProxy(variables, diagnostics, VariableCatalog.HttpProxy);
        var noProxy = ReadNoProxy(variables, diagnostics);
        var caFile = ReadPath(variables, diagnostics, VariableCatalog.SslCertFile, File.Exists, "is not a file", CheckCaFile);
        var caDirectory = ReadPath(variables, diagnostics, VariableCatalog.SslCertDir, Directory.Exists, "is not a directory", CheckCaDirectory);
        return httpsProxy is null && httpProxy is null && noProxy is null && caFile is null && caDirectory is null
            ? OutboundNetwork.Direct
            : new OutboundNetwork(httpsProxy, httpProxy, noProxy, caFile, caDirectory);
    }

    /// <summary>The value of <paramref name="name"/> or its lower-case form; <paramref name="name"/> becomes the one found.</summary>
    private static string? Read(LayeredVariables variables, ref string name, out ConfigValue value)
    {
        if (variables.TryGetNonEmpty(name, out value))
        {
            return value.Value.Trim();
        }

        var lower = name.ToLowerInvariant();
        if (variables.TryGetNonEmpty(lower, out value))
        {
            name = lower;
            return value.Value.Trim();
        }

        return null;
    }

    private static string? ReadProxy(LayeredVariables variables, ConfigDiagnostics diagnostics, string name)
    {
        if (Read(variables, ref name, out var value) is not { } text)
        {
            return null;
        }

        var url = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
        {
            return url;
        }

        // Not Invalid(): a proxy URL may carry a password, and errors show values.
        diagnostics.Error($"{name} ({value.Source.Label}): must be a proxy URL such as http://proxy.example:3128");
        return null;
    }

    private static string? ReadNoProxy(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        var name = VariableCatalog.NoProxy;
        if (Read(variables, ref name, out var value) is not { } text)
        {
            return null;
        }

        // A warning, not an error: curl and Go pass over such entries too, and the rest of the list still works.
        NoProxyList.Parse(text, out var ignored);
        foreach (var entry in ignored)
        {
            diagnostics.Warn(
                $"{name} ({value.Source.Label}): '{entry}' is not a host name, IP address or CIDR range (a URL is not an entry); it is ignored");
        }

        return text;
    }

    private static string? ReadPath(
        LayeredVariables variables, ConfigDiagnostics diagnostics, string name, Func<string, bool> exists, string problem,
        Func<string, string, ConfigValue, ConfigDiagnostics, bool> holdsCertificates)
    {
        if (Read(variables, ref name, out var value) is not { } path)
        {
            return null;
        }

        // On Linux an exported SSL_CERT_FILE or SSL_CERT_DIR is already the platform's trust store (OpenSSL reads it for
        // every TLS connection), so vdm has nothing to add; and many machines export the system bundle, hundreds of
        // certificates that vdm would otherwise parse at every start. A missing one is only a warning: OpenSSL ignores it.
        if (value.Source.Kind == ConfigSourceKind.Environment && OperatingSystem.IsLinux())
        {
            if (!exists(path))
            {
                diagnostics.Warn($"{ConfigDiagnostics.Describe(name, value)}: {problem}; it is ignored");
            }

            return null;
        }

        if (!exists(path))
        {
            diagnostics.Invalid(name, value, problem);
            return null;
        }

        var fullPath = Path.GetFullPath(path);
        return holdsCertificates(fullPath, name, value, diagnostics) ? fullPath : null;
    }

    private static bool CheckCaFile(string path, string name, ConfigValue value, ConfigDiagnostics diagnostics)
    {
        if (CertificateFiles.CheckFile(path) is { } problem)
        {
            diagnostics.Invalid(name, value, problem);
            return false;
        }

        return true;
    }

    /// <summary>A directory whose files are all unusable is an error; some unusable files among good ones are warnings.</summary>
    private static bool CheckCaDirectory(string path, string name, ConfigValue value, ConfigDiagnostics diagnostics)
    {
        var skipped = new List<string>();
        var count = CertificateFiles.CheckDirectory(path, skipped);
        foreach (var reason in skipped)
        {
            diagnostics.Warn($"{ConfigDiagnostics.Describe(name, value)}: skipped {reason}");
        }

        if (count == 0)
        {
            diagnostics.Invalid(name, value, "contains no certificate (.pem, .crt, .cer, or OpenSSL hash names such as 1a2b3c4d.0)");
            return false;
        }

        return true;
    }
}
