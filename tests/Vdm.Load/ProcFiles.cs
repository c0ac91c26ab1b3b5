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

    /// <summary>A memory line of /proc/&lt;pid&gt;/status (VmRSS: resident now; VmHWM: the peak resident), in KiB.</summary>
    public static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal) && line.Length > field.Length && line[field.Length] == ':')
            {
                // "VmRSS:	   27648 kB"
                var value = line.AsSpan(field.Length + 1).Trim();
                return long.Parse(value[..value.IndexOf(' ')], NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidDataException($"/proc/{pid}/status has no {field} line");
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

    /// <summary>The file descriptors the process holds now.</summary>
    public static int OpenFiles(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
}
