namespace Vdm.Load;

/// <summary>
/// Whether a process may open the files the load needs. The load test holds two sockets per stream (its client's,
/// and the fake upstream's accepted one), and so does vdm (the client's accepted one, and its upstream's): past the
/// limit, accept and connect fail with "Too many open files" deep inside a run, so it is checked up front instead.
/// </summary>
internal static class FileDescriptorBudget
{
    /// <summary>What a .NET process holds besides the streams' sockets: runtime, epoll, pipes, libraries, listeners.</summary>
    private const int Overhead = 200;

    public static int Needed(int streams) => (2 * streams) + Overhead;

    /// <summary>Null when <paramref name="pid"/> may open enough files for <paramref name="streams"/> streams; otherwise what to do.</summary>
    public static string? Check(string who, int pid, int streams)
    {
        var limit = ProcFiles.OpenFileLimit(pid);
        var needed = Needed(streams);
        if (limit is null || limit >= needed)
        {
            return null;
        }

        var fits = Math.Max(0, (limit.Value - Overhead) / 2);
        return $"the open-file limit of {who} is {limit} (ulimit -n), but {streams} streams need about {needed} " +
            $"(2 per stream + {Overhead}); raise it with `ulimit -n {needed}` (the hard limit allows up to `ulimit -Hn`), or run at most --streams {fits}";
    }
}
