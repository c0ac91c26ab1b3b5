using System.Text;

namespace Vdm.Cli;

/// <summary>
/// The plain tables the commands print: a header row and rows, columns two spaces apart and padded to their widest
/// cell, the last column unpadded (so no line ends in spaces); one line each.
/// </summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = new int[headers.Count];
        for (var column = 0; column < headers.Count; column++)
        {
            widths[column] = Math.Max(headers[column].Length, rows.Count == 0 ? 0 : rows.Max(row => row[column].Length));
        }

        var text = new StringBuilder();
        Append(text, headers, widths);
        foreach (var row in rows)
        {
            Append(text, row, widths);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (var column = 0; column < cells.Count - 1; column++)
        {
            text.Append(cells[column].PadRight(widths[column])).Append("  ");
        }

        text.Append(cells[^1]).Append('\n');
    }
}
