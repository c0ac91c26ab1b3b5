using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// An ordered map of a report (keys to numbers, strings, nulls or nested maps) that writes itself as YAML or as JSON,
/// so that the two forms of <c>/metrics/running-totals</c> cannot drift apart.
/// </summary>
internal sealed class ReportNode
{
    private readonly List<(string Key, object? Value)> _entries = [];

    public ReportNode Add(string key, object? value)
    {
        _entries.Add((key, value));
        return this;
    }

    public ReportNode Child(string key)
    {
        var child = new ReportNode();
        _entries.Add((key, child));
        return child;
    }

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in _entries)
        {
            writer.WritePropertyName(key);
            switch (value)
            {
                case ReportNode node:
                    node.WriteJson(writer);
                    break;
                case long number:
                    writer.WriteNumberValue(number);
                    break;
                case double number:
                    writer.WriteNumberValue(Math.Round(number, 1));
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }

        writer.WriteEndObject();
    }

    public void WriteYaml(StringBuilder yaml, int indent = 0)
    {
        foreach (var (key, value) in _entries)
        {
            yaml.Append(' ', indent).Append(Scalar(key)).Append(':');
            switch (value)
            {
                case ReportNode { _entries.Count: 0 }:
                    yaml.Append(" {}\n");
                    break;
                case ReportNode node:
                    yaml.Append('\n');
                    node.WriteYaml(yaml, indent + 2);
                    break;
                case long number:
                    yaml.Append(' ').Append(number.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    break;
                case double number:
                    yaml.Append(' ').Append(Math.Round(number, 1).ToString("0.0##", CultureInfo.InvariantCulture)).Append('\n');
                    break;
                case string text:
                    yaml.Append(' ').Append(Scalar(text)).Append('\n');
                    break;
                default:
                    yaml.Append(" null\n");
                    break;
            }
        }
    }

    /// <summary>
    /// A plain scalar when it cannot be read as anything but that string; otherwise double-quoted, with YAML's escapes
    /// for backslashes, quotes, line breaks and control characters (model names are the client's text: they hold colons
    /// and slashes, may hold anything, and "null", "yes" or "1e3" would change type if left plain).
    /// </summary>
    private static string Scalar(string text)
    {
        var plain = text.Length > 0
            && char.IsAsciiLetter(text[0])
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
            && text.ToLowerInvariant() is not ("null" or "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "nan" or "inf");
        if (plain)
        {
            return text;
        }

        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => quoted.Append("\\\\"),
                '"' => quoted.Append("\\\""),
                '\n' => quoted.Append("\\n"),
                '\t' => quoted.Append("\\t"),
                '\u0085' => quoted.Append("\\N"),
                '\u2028' => quoted.Append("\\L"),
                '\u2029' => quoted.Append("\\P"),
                < ' ' or '\u007f' or (>= '\u0080' and < '\u00a0') => quoted.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
