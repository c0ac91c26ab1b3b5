namespace Vdm.Load;

/// <summary>The lines of /proc/&lt;pid&gt;/status the load test reads, from one read of the file.</summary>
/// <param name="RssKiB">VmRSS: resident now.</param>
/// <param name="PeakRssKiB">VmHWM: the most ever resident (the "high water mark").</param>
/// <param name="FileRssKiB">RssFile: the resident part that is mapped files, mostly vdm's own code.</param>
/// <param name="Threads">Threads.</param>
internal readonly record struct ProcStatus(long RssKiB, long PeakRssKiB, long FileRssKiB, int Threads);
