namespace Vdm.Gateway.Dumps;

/// <summary>
/// What a request dump must never show: the values of credential headers and query parameters (by name), and every
/// key vdm knows of — provider keys, the proxy key, the client's own key — wherever else it turns up.
/// </summary>
internal sealed class DumpRedaction
{
    public const string Mask = "[redacted]";

    private static readonly string[] SecretWords = ["key", "token", "secret", "auth", "password", "cookie", "signature", "sig", "credential"];

    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);

    public DumpRedaction(IEnumerable<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            Add(secret);
        }
    }

    /// <summary>Whether a header or query parameter of this name carries a credential (<c>x-api-key</c>, <c>Authorization</c>, <c>x-goog-api-key</c>, <c>?key=</c>…).</summary>
    public static bool IsSecretName(string name)
    {
        foreach (var word in SecretWords)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Remembers a value to scrub wherever it appears (short values are not secrets worth the false hits).</summary>
    public void Add(string? secret)
    {
        if (secret is { Length: >= 8 })
        {
            _secrets.Add(secret);

            // "Bearer sk-…": the key alone may appear elsewhere.
            if (secret.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 && secret.Length - space - 1 >= 8)
            {
                _secrets.Add(secret[(space + 1)..]);
            }
        }
    }

    /// <summary>A header line's value as the dump shows it, remembering a credential's value for <see cref="Scrub"/>.</summary>
    public string Header(string name, string value)
    {
        if (!IsSecretName(name))
        {
            return value;
        }

        Add(value);
        return Mask;
    }

    /// <summary>The URL with the values of credential-named query parameters masked.</summary>
    public string Url(Uri url) =>
        string.IsNullOrEmpty(url.Query) ? url.ToString() : url.GetLeftPart(UriPartial.Path) + Query(url.Query);

    /// <summary>A query string (<c>?a=1&amp;key=…</c>) with the values of credential-named parameters masked; empty stays empty.</summary>
    public string Query(string query)
    {
        if (query.Length <= 1)
        {
            return query;
        }

        var parameters = query[1..].Split('&');
        for (var i = 0; i < parameters.Length; i++)
        {
            var equals = parameters[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && IsSecretName(Uri.UnescapeDataString(parameters[i][..equals])))
            {
                Add(Uri.UnescapeDataString(parameters[i][(equals + 1)..]));
                parameters[i] = parameters[i][..(equals + 1)] + Mask;
            }
        }

        return "?" + string.Join('&', parameters);
    }

    /// <summary>Every known secret in <paramref name="text"/> replaced by the mask, longest first so a key's prefix cannot leave its tail.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in _secrets.OrderByDescending(secret => secret.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
