namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads <see cref="OutboundNetwork"/>: the proxy variables in either case (upper case wins, as curl does), proxy URLs
/// checked to be http(s) URLs (a bare <c>host:port</c> means http://, as curl reads it), CA paths checked to exist.
/// </summary>
internal static class OutboundNetworkReader
{
    public static OutboundNetwork Read(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        var httpsProxy = ReadProxy(variables, diagnostics, VariableCatalog.HttpsProxy);
        var httpProxy = ReadProxy(variables, diagnostics, VariableCatalog.HttpProxy);
        var noProxy = Read(variables, VariableCatalog.NoProxy, out _);
        var caFile = ReadPath(variables, diagnostics, VariableCatalog.SslCertFile, File.Exists, "is not a file");
        var caDirectory = ReadPath(variables, diagnostics, VariableCatalog.SslCertDir, Directory.Exists, "is not a directory");
        return httpsProxy is null && httpProxy is null && noProxy is null && caFile is null && caDirectory is null
            ? OutboundNetwork.Direct
            : new OutboundNetwork(httpsProxy, httpProxy, noProxy, caFile, caDirectory);
    }

    private static string? Read(LayeredVariables variables, string name, out ConfigValue value) => Read(variables, ref name, out value);

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

    private static string? ReadPath(LayeredVariables variables, ConfigDiagnostics diagnostics, string name, Func<string, bool> exists, string problem)
    {
        if (Read(variables, ref name, out var value) is not { } path)
        {
            return null;
        }

        if (exists(path))
        {
            return Path.GetFullPath(path);
        }

        diagnostics.Invalid(name, value, problem);
        return null;
    }
}
