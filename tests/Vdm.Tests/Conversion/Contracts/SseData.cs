using System.Text;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The events of an SSE fixture: each <c>event:</c> name (or null) with its <c>data:</c> payload.</summary>
internal static class SseData
{
    public static List<(string? Event, string Data)> Read(string fixture)
    {
        var events = new List<(string? Event, string Data)>();
        string? name = null;
        foreach (var line in Encoding.UTF8.GetString(GoldenFile.ReadInput(fixture)).Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name, line["data: ".Length..]));
                name = null;
            }
        }
        return events;
    }
}
