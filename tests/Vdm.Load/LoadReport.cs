namespace Vdm.Load;

/// <summary>The figures of one load run, and how they are printed: the lines docs/benchmarks.md quotes.</summary>
internal sealed record LoadReport
{
    private const double BytesPerMegabyte = 1_000_000;

    public required LoadOptions Options { get; init; }

    public required StreamTally Tally { get; init; }

    public required int UpstreamPeak { get; init; }

    public required TimeSpan Wall { get; init; }

    /// <summary>vdm after one warm-up stream, before the load.</summary>
    public required ProcStatus Idle { get; init; }

    private long IdleKiB => Idle.RssKiB;

    /// <summary>VmHWM at the end of the load: the most vdm was ever resident.</summary>
    public required long? PeakKiB { get; init; }

    /// <summary>VmRSS a little after the last stream ended: what vdm kept.</summary>
    public required long? AfterKiB { get; init; }

    /// <summary>vdm's user and system CPU time during the load.</summary>
    public required TimeSpan? Cpu { get; init; }

    public required IReadOnlyList<MemorySample> Samples { get; init; }

    /// <summary>Set when vdm died or could not be read during the load.</summary>
    public required string? VdmLost { get; init; }

    public required IReadOnlyList<string> VdmProblems { get; init; }

    public required int VdmLogLines { get; init; }

    public required TimeSpan AfterDelay { get; init; }

    public bool AllPassed => Tally.Passed == Options.Streams && Tally.Failed == 0 && VdmLost is null;

    public void WriteTo(TextWriter output)
    {
        var streams = Options.Streams;
        output.WriteLine();
        output.WriteLine($"results ({streams} streams, {Options.Format.ToString().ToLowerInvariant()} upstream)");
        Line(output, "streams", $"{Tally.Passed} intact, {Tally.Failed} failed, {streams - Tally.Finished} unfinished " +
            "(intact: one message_start, every text piece once and in order, message_stop last, no error event)");
        foreach (var (kind, count) in Tally.FailuresByKind.OrderByDescending(pair => pair.Value))
        {
            Line(output, "  failed", $"{count} x {kind}");
        }

        foreach (var failure in Tally.FirstFailures)
        {
            Line(output, "  e.g.", failure);
        }

        if (VdmLost is not null)
        {
            Line(output, "vdm lost", VdmLost);
        }

        Line(output, "open at once", $"{Tally.Open.Peak} client streams, {UpstreamPeak} upstream streams (peaks)");
        Line(output, "wall time", $"{Wall.TotalSeconds:F1} s (ramp {Options.Ramp.TotalSeconds:F0} s, then {Options.Chunks} chunks x {Options.Interval.TotalMilliseconds:F0} ms per stream)");
        Line(output, "idle RSS", $"{MiB(IdleKiB)} (VmRSS after one warm-up stream; {MiB(Idle.FileRssKiB)} of it mapped files: the binary's code and libraries)");
        if (PeakKiB is { } peak)
        {
            Line(output, "peak RSS", $"{MiB(peak)} = {Megabytes(peak):F1} MB (VmHWM)");
        }

        Line(output, "full concurrency", FullConcurrency());
        if (PeakKiB is { } peakForStream)
        {
            var perStream = (peakForStream - IdleKiB) / (double)streams;
            Line(output, "RSS per stream", $"{perStream:F1} KiB ((VmHWM - idle) / {streams})");
        }

        if (AfterKiB is { } after)
        {
            Line(output, "RSS after", $"{MiB(after)} (VmRSS {AfterDelay.TotalSeconds:F0} s after the last stream ended)");
        }

        if (Cpu is { } cpu)
        {
            Line(output, "vdm CPU", $"{cpu.TotalSeconds:F2} s during the load (utime+stime), {cpu.TotalMilliseconds / streams:F2} ms per stream, " +
                $"{cpu / Wall:F2} cores on average");
        }

        if (Samples.Count > 0)
        {
            Line(output, "vdm open files", $"{Samples.Max(sample => sample.OpenFiles)} at most");
            Line(output, "vdm threads", $"{Idle.Threads} idle, {Samples.Max(sample => sample.Threads)} at most");
        }

        var firstEvent = Tally.FirstEventMs();
        if (firstEvent.Count > 0)
        {
            Line(output, "first event", $"p50 {Percentile(firstEvent, 0.50):F0} ms, p99 {Percentile(firstEvent, 0.99):F0} ms, max {firstEvent[^1]:F0} ms (request sent to first event)");
        }

        var gaps = Tally.LongestGapMs();
        if (gaps.Count > 0)
        {
            Line(output, "longest silence", $"p50 {Percentile(gaps, 0.50):F0} ms, p99 {Percentile(gaps, 0.99):F0} ms, max {gaps[^1]:F0} ms " +
                $"(per stream, between two events; the upstream's interval is {Options.Interval.TotalMilliseconds:F0} ms)");
        }

        Line(output, "vdm log", $"{VdmLogLines} lines, {VdmProblems.Count} at warning level or above");
        foreach (var problem in VdmProblems.Take(5))
        {
            Line(output, "  e.g.", problem);
        }

        Line(output, "goal", Goal());
    }

    private string FullConcurrency()
    {
        var full = Samples.Where(sample => sample.ClientStreams == Options.Streams).ToList();
        if (full.Count > 0)
        {
            return $"{MiB(full.Max(sample => sample.RssKiB))} (highest VmRSS of {full.Count} readings taken with all {Options.Streams} streams open)";
        }

        return Samples.Count == 0
            ? "no readings"
            : $"never reached (at most {Tally.Open.Peak} open); highest VmRSS reading {MiB(Samples.Max(sample => sample.RssKiB))}";
    }

    private string Goal()
    {
        var goalMiB = Options.GoalMegabytes * BytesPerMegabyte / (1024 * 1024);
        var goal = $"peak RSS under {Options.GoalMegabytes} MB ({goalMiB:F1} MiB) for {LoadOptions.GoalStreams} streams";
        if (PeakKiB is not { } peak)
        {
            return $"{goal}: unknown (no peak reading)";
        }

        if (Options.Streams < LoadOptions.GoalStreams)
        {
            return $"{goal}: not tested by a {Options.Streams}-stream run";
        }

        var met = Megabytes(peak) < Options.GoalMegabytes;
        return $"{goal}: {(met ? "met" : "MISSED")} ({Megabytes(peak):F1} MB at {Options.Streams} streams)";
    }

    private static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Megabytes(long kib) => kib * 1024 / BytesPerMegabyte;

    private static string MiB(long kib) => $"{kib / 1024.0:F1} MiB";

    private static void Line(TextWriter output, string label, string text) => output.WriteLine($"  {label,-18} {text}");
}
