using System.Text;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// Reads the <c>.env</c> syntax people actually write: comments, blank lines, <c>export</c> prefixes, single and
/// double quotes (escapes in double quotes, multi-line values in both), inline comments after unquoted values, and
/// empty values. No <c>${VAR}</c> expansion: a value means what it says.
/// </summary>
internal static class DotEnvFile
{
    /// <summary>Parses <paramref name="text"/>; later assignments of a name win. Problems name the line, never the value.</summary>
    public static DotEnvParseResult Parse(string text, string sourceName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var reader = new LineCursor(text);

        while (reader.TryReadLine(out var line, out var lineNumber))
        {
            var span = line.AsSpan().Trim();
            if (span.IsEmpty || span[0] == '#')
            {
                continue;
            }

            if (span.StartsWith("export ") || span.StartsWith("export\t"))
            {
                span = span[7..].TrimStart();
            }

            var equals = span.IndexOf('=');
            if (equals <= 0)
            {
                problems.Add($"{sourceName}:{lineNumber}: expected NAME=VALUE");
                continue;
            }

            var name = span[..equals].Trim().ToString();
            if (!IsValidName(name))
            {
                problems.Add($"{sourceName}:{lineNumber}: '{name}' is not a valid variable name (letters, digits, _ and .; not starting with a digit)");
                continue;
            }

            var rest = span[(equals + 1)..].TrimStart();
            if (rest.Length > 0 && (rest[0] == '"' || rest[0] == '\''))
            {
                if (TryReadQuoted(rest.ToString(), reader, out var value, out var error))
                {
                    values[name] = value;
                }
                else
                {
                    problems.Add($"{sourceName}:{lineNumber}: {name}: {error}");
                }

                continue;
            }

            values[name] = StripInlineComment(rest).ToString();
        }

        return new DotEnvParseResult(values, problems);
    }

    private static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    // An unquoted value ends at a '#' that follows whitespace, as in shells: "a#b" keeps its '#', "a #b" does not.
    private static ReadOnlySpan<char> StripInlineComment(ReadOnlySpan<char> value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == '#' && char.IsWhiteSpace(value[i - 1]))
            {
                return value[..i].TrimEnd();
            }
        }

        return value.Length > 0 && value[0] == '#' ? [] : value.TrimEnd();
    }

    /// <summary>Reads a quoted value starting at <paramref name="first"/>; continues onto further lines until the quote closes.</summary>
    private static bool TryReadQuoted(string first, LineCursor reader, out string value, out string error)
    {
        var quote = first[0];
        var builder = new StringBuilder();
        var current = first[1..];

        while (true)
        {
            for (var i = 0; i < current.Length; i++)
            {
                var c = current[i];
                if (c == quote)
                {
                    var trailing = current.AsSpan(i + 1).Trim();
                    if (!trailing.IsEmpty && trailing[0] != '#')
                    {
                        value = string.Empty;
                        error = "unexpected text after the closing quote";
                        return false;
                    }

                    value = builder.ToString();
                    error = string.Empty;
                    return true;
                }

                if (c == '\\' && quote == '"' && i + 1 < current.Length)
                {
                    i++;
                    builder.Append(current[i] switch
                    {
                        'n' => "\n",
                        'r' => "\r",
                        't' => "\t",
                        '"' => "\"",
                        '\\' => "\\",
                        '$' => "$",
                        '\'' => "'",
                        var other => "\\" + other,
                    });
                    continue;
                }

                builder.Append(c);
            }

            if (!reader.TryReadLine(out var next, out _))
            {
                value = string.Empty;
                error = $"missing closing {quote} quote";
                return false;
            }

            builder.Append('\n');
            current = next;
        }
    }

    /// <summary>Yields lines with their 1-based numbers; accepts LF, CRLF and a leading byte-order mark.</summary>
    private sealed class LineCursor(string text)
    {
        private int _position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        private int _lineNumber;

        public bool TryReadLine(out string line, out int lineNumber)
        {
            if (_position >= text.Length)
            {
                line = string.Empty;
                lineNumber = _lineNumber;
                return false;
            }

            var end = text.IndexOf('\n', _position);
            var stop = end < 0 ? text.Length : end;
            var length = stop - _position;
            if (length > 0 && text[stop - 1] == '\r')
            {
                length--;
            }

            line = text.Substring(_position, length);
            _position = end < 0 ? text.Length : end + 1;
            lineNumber = ++_lineNumber;
            return true;
        }
    }
}

/// <summary>What a <c>.env</c> file assigns, and the lines it could not read.</summary>
internal sealed record DotEnvParseResult(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Problems);
