namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads custom headers from <c>CUSTOM_HEADER_{HEADER}</c> (every provider) and <c>{NAME}_CUSTOM_HEADER_{HEADER}</c>
/// (one provider) variables, refusing the ones that would corrupt every call.
/// </summary>
internal static class CustomHeaders
{
    /// <summary>Headers from <c>{prefix}{HEADER}</c> variables; <c>_</c> in the name becomes <c>-</c>.</summary>
    public static List<KeyValuePair<string, string>> Read(LayeredVariables variables, ConfigDiagnostics diagnostics, string prefix)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var variable in variables.Names)
        {
            if (!variable.StartsWith(prefix, StringComparison.Ordinal) || variable.Length == prefix.Length)
            {
                continue;
            }

            // An empty value means "no such header", not a header with an empty value.
            if (!variables.TryGetNonEmpty(variable, out var value))
            {
                continue;
            }

            var header = variable[prefix.Length..].Replace('_', '-');
            if (!IsToken(header) || ForbiddenHeaders.Contains(header))
            {
                diagnostics.Error($"{variable} ({value.Source.Label}): '{header}' cannot be sent as a custom header");
                continue;
            }

            if (value.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                diagnostics.Error($"{variable} ({value.Source.Label}): a header value cannot contain line breaks");
                continue;
            }

            headers.Add(new(header, value.Value.Trim()));
        }

        return headers;
    }

    private static bool IsToken(string header) =>
        header.Length > 0 && header.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));

    // Set by the HTTP client itself or per request; a static value would corrupt every call.
    private static readonly HashSet<string> ForbiddenHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer",
    };
}
