namespace Vdm.Load;

/// <summary>One reading during the load: vdm's resident memory, threads and open files, and the streams open on each side.</summary>
internal readonly record struct MemorySample(TimeSpan At, long RssKiB, int Threads, int OpenFiles, int ClientStreams, int UpstreamStreams, int Finished);
