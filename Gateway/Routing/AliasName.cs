namespace Vdm.Gateway.Routing;

/// <summary>
/// How alias names compare with model names: case-insensitive, <c>-</c> and <c>_</c> the same (an alias comes from a
/// variable name, where <c>-</c> cannot be written), without allocating on the request path.
/// </summary>
internal static class AliasName
{
    /// <summary>The form aliases are stored in: lower-case, <c>_</c> as <c>-</c>.</summary>
    public static string Normalize(string name) => string.Create(name.Length, name, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            span[i] = Fold(source[i]);
        }
    });

    /// <summary>Whether <paramref name="normalizedAlias"/> occurs anywhere in <paramref name="model"/>.</summary>
    public static bool OccursIn(string normalizedAlias, ReadOnlySpan<char> model)
    {
        var length = normalizedAlias.Length;
        if (length == 0)
        {
            return false;
        }

        var first = normalizedAlias[0];
        for (var start = 0; start + length <= model.Length; start++)
        {
            if (Fold(model[start]) == first && EqualsFolded(normalizedAlias, model.Slice(start, length)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="model"/> is exactly the alias, up to case and <c>-</c>/<c>_</c>.</summary>
    public static bool Is(string normalizedAlias, ReadOnlySpan<char> model) =>
        model.Length == normalizedAlias.Length && EqualsFolded(normalizedAlias, model);

    /// <summary>
    /// Whether text before a colon looks like a provider name (<c>groq</c>, <c>my_llm2</c>) rather than part of a model
    /// name (<c>qwen2.5</c>, <c>x/y</c>): only ASCII letters, digits, <c>_</c> and <c>-</c>.
    /// </summary>
    public static bool LooksLikeProvider(ReadOnlySpan<char> prefix)
    {
        if (prefix.IsEmpty)
        {
            return false;
        }

        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    private static bool EqualsFolded(string normalizedAlias, ReadOnlySpan<char> model)
    {
        for (var i = 0; i < normalizedAlias.Length; i++)
        {
            if (Fold(model[i]) != normalizedAlias[i])
            {
                return false;
            }
        }

        return true;
    }

    private static char Fold(char c) => c == '_' ? '-' : char.ToLowerInvariant(c);
}
