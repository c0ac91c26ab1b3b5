using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vdm.Tests.TestSupport;

/// <summary>One sample of a Prometheus text exposition.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of Prometheus's text exposition format 0.0.4: it throws on anything a scraper would reject or
/// misread — a sample before its family's TYPE, a family split in two, an unknown type, a bad metric or label name, an
/// escape the format lacks, a duplicate series, histogram buckets that decrease or whose +Inf differs from _count.
/// </summary>
internal sealed partial class PrometheusParser
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly List<PrometheusSample> _samples = [];

    public IReadOnlyDictionary<string, string> Types => _types;

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static PrometheusParser Parse(string text)
    {
        var parser = new PrometheusParser();
        parser.Read(text);
        return parser;
    }

    /// <summary>The value of the one sample with this name and exactly these labels, or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        _samples.SingleOrDefault(sample => sample.Name == name && sample.Labels.Count == labels.Length
            && labels.All(label => sample.Labels.TryGetValue(label.Name, out var value) && value == label.Value))?.Value;

    public IEnumerable<PrometheusSample> Named(string name) => _samples.Where(sample => sample.Name == name);

    private void Read(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lineNumber = 0;
        foreach (var line in text.Split('\n')[..^1])
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var comment = CommentLine().Match(line);
                if (!comment.Success)
                {
                    if (line.StartsWith("# HELP", StringComparison.Ordinal) || line.StartsWith("# TYPE", StringComparison.Ordinal))
                    {
                        throw new FormatException($"line {lineNumber}: malformed {line[..6]}: {line}");
                    }

                    continue;
                }

                var family = comment.Groups["name"].Value;
                if (family != current)
                {
                    if (current is not null)
                    {
                        finished.Add(current);
                    }

                    if (finished.Contains(family))
                    {
                        throw new FormatException($"line {lineNumber}: family {family} appears twice");
                    }

                    current = family;
                }

                if (comment.Groups["kind"].Value == "TYPE")
                {
                    var type = comment.Groups["rest"].Value;
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException($"line {lineNumber}: unknown type {type}");
                    }

                    if (!_types.TryAdd(family, type))
                    {
                        throw new FormatException($"line {lineNumber}: second TYPE for {family}");
                    }
                }

                continue;
            }

            var sample = ReadSample(line, lineNumber);
            var owner = FamilyOf(sample.Name);
            if (owner != current || !_types.ContainsKey(owner))
            {
                throw new FormatException($"line {lineNumber}: sample {sample.Name} is not under its family's TYPE line");
            }

            var identity = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + pair.Value)) + "}";
            if (!seen.Add(identity))
            {
                throw new FormatException($"line {lineNumber}: duplicate series {identity}");
            }

            _samples.Add(sample);
        }

        CheckHistograms();
    }

    private string FamilyOf(string sampleName)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && _types.GetValueOrDefault(sampleName[..^suffix.Length]) == "histogram")
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static PrometheusSample ReadSample(string line, int lineNumber)
    {
        var name = MetricName().Match(line);
        if (!name.Success)
        {
            throw new FormatException($"line {lineNumber}: bad metric name: {line}");
        }

        var position = name.Length;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var labelName = LabelName().Match(line, position);
                if (!labelName.Success || labelName.Index != position)
                {
                    throw new FormatException($"line {lineNumber}: bad label name at {position}: {line}");
                }

                position += labelName.Length;
                if (line[position] != '=' || line[position + 1] != '"')
                {
                    throw new FormatException($"line {lineNumber}: expected =\" at {position}: {line}");
                }

                position += 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        value.Append(line[position + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new FormatException($"line {lineNumber}: escape \\{other} is not in the format"),
                        });
                        position += 2;
                    }
                    else
                    {
                        value.Append(line[position++]);
                    }
                }

                position++;
                if (!labels.TryAdd(labelName.Value, value.ToString()))
                {
                    throw new FormatException($"line {lineNumber}: label {labelName.Value} twice");
                }

                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException($"line {lineNumber}: expected , or }} at {position}: {line}");
                }
            }

            position++;
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"line {lineNumber}: expected one space before the value: {line}");
        }

        var parts = line[(position + 1)..].Split(' ');
        if (parts.Length > 2 || !TryParseValue(parts[0], out var number) || (parts.Length == 2 && !long.TryParse(parts[1], CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"line {lineNumber}: bad value: {line}");
        }

        return new PrometheusSample(name.Value, labels, number);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !text.Contains(',', StringComparison.Ordinal);
        }
    }

    private void CheckHistograms()
    {
        foreach (var (family, _) in _types.Where(pair => pair.Value == "histogram"))
        {
            var buckets = _samples.Where(sample => sample.Name == family + "_bucket")
                .GroupBy(sample => string.Join(",", sample.Labels.Where(pair => pair.Key != "le").OrderBy(pair => pair.Key, StringComparer.Ordinal)));
            foreach (var series in buckets)
            {
                var ordered = series.Select(sample => (Le: sample.Labels.TryGetValue("le", out var le) ? le : throw new FormatException($"{family}_bucket without le"), sample.Value))
                    .Select(bucket => (Bound: bucket.Le == "+Inf" ? double.PositiveInfinity : double.Parse(bucket.Le, CultureInfo.InvariantCulture), bucket.Value))
                    .ToList();
                if (!ordered.SequenceEqual(ordered.OrderBy(bucket => bucket.Bound)))
                {
                    throw new FormatException($"{family}: buckets out of order");
                }

                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Value < ordered[i - 1].Value)
                    {
                        throw new FormatException($"{family}: bucket counts decrease");
                    }
                }

                if (!double.IsPositiveInfinity(ordered[^1].Bound))
                {
                    throw new FormatException($"{family}: no +Inf bucket");
                }

                var labels = series.First().Labels.Where(pair => pair.Key != "le").ToDictionary();
                var count = _samples.SingleOrDefault(sample => sample.Name == family + "_count" && sample.Labels.Count == labels.Count
                    && labels.All(pair => sample.Labels.GetValueOrDefault(pair.Key) == pair.Value));
                if (count is null || count.Value != ordered[^1].Value)
                {
                    throw new FormatException($"{family}: _count missing or different from the +Inf bucket");
                }
            }
        }
    }

    [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.*)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();
}
