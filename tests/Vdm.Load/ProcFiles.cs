using System.Globalization;

namespace Vdm.Load;

/// <summary>What Linux's /proc says about a process: resident memory, CPU time and the open-file limit.</summary>
internal static class ProcFiles
{
    /// <summary>
    /// Clock ticks per second in /proc/&lt;pid&gt;/stat. That is USER_HZ, which the kernel keeps at 100 for user
    /// space on every architecture whatever its internal tick rate, so it needs no sysconf call.
    /// </summary>
    private const double TicksPerSecond = 100;

    /// <summary>Memory and threads, from /proc/&lt;pid&gt;/status.</summary>
    public static ProcStatus Status(int pid)
    {
        long rss = 0, peak = 0, file = 0, threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            // "VmRSS:	   27648 kB", "Threads:	12"
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            switch (line[..colon])
            {
                case "VmRSS":
                    rss = FirstNumber(line, colon);
                    break;
                case "VmHWM":
                    peak = FirstNumber(line, colon);
                    break;
                case "RssFile":
                    file = FirstNumber(line, colon);
                    break;
                case "Threads":
                    threads = FirstNumber(line, colon);
                    break;
            }
        }

        return new ProcStatus(rss, peak, file, (int)threads);
    }

    /// <summary>User plus system CPU time the process has used so far (utime + stime of /proc/&lt;pid&gt;/stat).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields from its closing one. After
        // it come state (field 3) … utime (14) and stime (15).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The soft limit on open files (what <c>ulimit -n</c> shows), or null when unlimited or unknown.</summary>
    public static long? OpenFileLimit(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
        {
            // "Max open files            20000                20000                files"
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var soft = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
            }
        }

        return null;
    }

    private static long FirstNumber(string line, int colon)
    {
        var value = line.AsSpan(colon + 1).Trim();
        var space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The file descriptors the process holds now.</summary>
    public static int OpenFiles(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
}
