using System.Text;

namespace Vdm.Cli;

/// <summary>A commented group of assignments in a written <c>.env</c> file.</summary>
internal sealed record DotEnvSection(string Comment, IReadOnlyList<KeyValuePair<string, string>> Variables);

/// <summary>
/// Writes <c>.env</c> files that <see cref="Gateway.Configuration.DotEnvFile"/> reads back value for value, and that a
/// shell can source too where the two agree; and puts them in place atomically, readable by their owner only.
/// </summary>
internal static class DotEnvWriter
{
    public static string Render(IReadOnlyList<string> header, IReadOnlyList<DotEnvSection> sections)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        foreach (var section in sections)
        {
            text.Append('\n').Append("# ").Append(section.Comment).Append('\n');
            foreach (var (name, value) in section.Variables)
            {
                text.Append(Assignment(name, value)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Assignment(string name, string value)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
        {
            throw new ArgumentException($"'{name}' is not a variable name a .env file can hold", nameof(name));
        }

        return name + "=" + Quote(value);
    }

    /// <summary>
    /// The value as written after <c>=</c>: bare when nothing in it can be misread, in single quotes (taken literally
    /// by both readers) when it has no quote or line break, else in double quotes with the escapes the parser knows.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.All(IsPlain))
        {
            return value;
        }

        if (!value.Contains('\'', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal))
        {
            return "'" + value + "'";
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '$' => "\\$",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>
    /// Writes <paramref name="text"/> to a new file beside <paramref name="path"/>, then moves it over: a reader sees
    /// the old file or the whole new one, never half. Unless <paramref name="overwrite"/>, an existing file is kept
    /// (and an <see cref="IOException"/> thrown). On Unix the file is created 0600, since it holds keys.
    /// </summary>
    public static void WriteAtomically(string path, string text, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Path.GetRandomFileName());
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // Letters, digits and punctuation that mean nothing to the parser or to a shell; anything else is quoted.
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or '+' or '=' or ',' or '%' or '!';
}
