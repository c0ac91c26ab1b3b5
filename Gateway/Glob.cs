namespace Vdm.Gateway;

/// <summary>
/// A filter such as <c>open*</c>, <c>gpt-?o</c> or <c>openai,poe</c>: <c>*</c> matches any run of characters,
/// <c>?</c> one, commas separate alternatives; case does not matter. An empty filter matches everything.
/// </summary>
internal sealed class Glob
{
    private readonly string[] _patterns;

    public Glob(string? filter)
    {
        Text = string.IsNullOrWhiteSpace(filter) ? null : filter.Trim();
        _patterns = Text is null ? [] : Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The filter as given; null when it matches everything.</summary>
    public string? Text { get; }

    public bool Matches(string value)
    {
        if (_patterns.Length == 0)
        {
            return true;
        }

        foreach (var pattern in _patterns)
        {
            if (Matches(pattern, value))
            {
                return true;
            }
        }

        return false;
    }

    // Iterative wildcard matching with one backtrack point: linear enough for names, and no regex to compile.
    private static bool Matches(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
