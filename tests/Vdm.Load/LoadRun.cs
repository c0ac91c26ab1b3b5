using System.Diagnostics;

namespace Vdm.Load;

/// <summary>
/// One load run, start to end: the fake provider, vdm in front of it, a warm-up stream, then
/// <see cref="LoadOptions.Streams"/> slow streams opened over the ramp and held to their end while vdm's memory is
/// read, and the report.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProgressPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AfterDelay = TimeSpan.FromSeconds(2);

    /// <returns>0 when every stream arrived whole; 1 when any did not; 2 when the run could not be set up.</returns>
    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            output.WriteLine("vdm load: vdm's memory is read from /proc, so the load test runs on Linux only");
            return 2;
        }

        var binary = Path.GetFullPath(options.VdmPath);
        if (!File.Exists(binary))
        {
            output.WriteLine($"vdm load: {binary} is missing: run ./build.sh publish (./build.sh bench load does it for you)");
            return 2;
        }

        if (options.RequestPath is not null && !File.Exists(options.RequestPath))
        {
            output.WriteLine($"vdm load: the request file {options.RequestPath} does not exist");
            return 2;
        }

        if (FileDescriptorBudget.Check("this load test", Environment.ProcessId, options.Streams) is { } ownLimit)
        {
            output.WriteLine($"vdm load: {ownLimit}");
            return 2;
        }

        await using var upstream = await FakeUpstream.StartAsync(options.Chunks, options.Interval);
        await using var vdm = VdmServer.Start(binary, options.Format, upstream.Url, options.VdmEnvironment);
        var url = await vdm.WaitUntilListeningAsync(TimeSpan.FromSeconds(10)).WaitAsync(cancellationToken);
        if (FileDescriptorBudget.Check("vdm", vdm.Pid, options.Streams) is { } vdmLimit)
        {
            output.WriteLine($"vdm load: {vdmLimit}");
            return 2;
        }

        output.WriteLine($"vdm load: {options.Streams} streams x {options.Chunks} chunks, {options.Interval.TotalMilliseconds:F0} ms apart, " +
            $"opened over {options.Ramp.TotalSeconds:F0} s; {options.Format.ToString().ToLowerInvariant()} upstream");
        output.WriteLine($"  vdm {binary} (pid {vdm.Pid}) at {url}; fake provider at {upstream.Url}");
        if (options.RequestPath is not null)
        {
            output.WriteLine($"  request body: {options.RequestPath} ({new FileInfo(options.RequestPath).Length / 1024} KiB)");
        }

        if (options.VdmEnvironment.Count > 0)
        {
            output.WriteLine($"  vdm's extra environment: {string.Join(' ', options.VdmEnvironment.Select(pair => $"{pair.Key}={pair.Value}"))}");
        }

        output.WriteLine($"  open-file limit {ProcFiles.OpenFileLimit(Environment.ProcessId)} here, {ProcFiles.OpenFileLimit(vdm.Pid)} for vdm; " +
            $"the run needs about {FileDescriptorBudget.Needed(options.Streams)} in each");

        var expectedText = SlowStreams.ExpectedText(options.Chunks);
        var warmUpBody = RequestBodies.Create(Model(options.Format, FakeUpstream.WarmUpModel), options.RequestPath);
        if (await WarmUpAsync(url, expectedText, warmUpBody, cancellationToken) is { } warmUpFailure)
        {
            output.WriteLine($"vdm load: the warm-up stream failed, so the load was not started: {warmUpFailure}");
            output.WriteLine(vdm.Tail());
            return 1;
        }

        await Task.Delay(Settle, cancellationToken);
        var idle = ProcFiles.Status(vdm.Pid);
        var cpuBefore = ProcFiles.CpuTime(vdm.Pid);

        var tally = new StreamTally(options.Streams);
        var started = Stopwatch.GetTimestamp();
        var sampler = new MemorySampler(vdm.Pid, SamplePeriod, () => (tally.Open.Current, upstream.Streams.Current, tally.Finished), Progress(output));
        await using (sampler)
        {
            await RunStreamsAsync(options, url, expectedText, tally, cancellationToken);
        }

        var wall = Stopwatch.GetElapsedTime(started);
        var (peakKiB, cpu, vdmLost) = ReadFinal(vdm, cpuBefore, sampler.Stopped);
        long? afterKiB = null;
        if (vdmLost is null && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(AfterDelay, CancellationToken.None);
            afterKiB = vdm.HasExited ? null : ProcFiles.Status(vdm.Pid).RssKiB;
        }

        var report = new LoadReport
        {
            Options = options,
            Tally = tally,
            UpstreamPeak = upstream.Streams.Peak,
            Wall = wall,
            Idle = idle,
            PeakKiB = peakKiB,
            AfterKiB = afterKiB,
            AfterDelay = AfterDelay,
            Cpu = cpu,
            Samples = sampler.Samples,
            VdmLost = vdmLost,
            VdmProblems = vdm.Problems,
            VdmLogLines = vdm.LogLines,
        };
        report.WriteTo(output);
        return report.AllPassed ? 0 : 1;
    }

    /// <summary>One stream without pauses first: a setup that cannot work fails in a second, not after the ramp.</summary>
    private static async Task<string?> WarmUpAsync(Uri url, string expectedText, byte[] body, CancellationToken cancellationToken)
    {
        var tally = new StreamTally(1);
        using var client = new StreamClient(url, expectedText, tally);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        await client.RunAsync(0, body, deadline.Token);
        return tally.Passed == 1 ? null : string.Join("; ", tally.FirstFailures);
    }

    /// <summary>
    /// Opens the streams at an even pace over the ramp (stream i at ramp × i / streams, so a slow start never bunches
    /// the rest up), then waits for every one to end. A 2-core machine meeting thousands of handshakes at once would
    /// measure its own accept queue, not vdm.
    /// </summary>
    private static async Task RunStreamsAsync(LoadOptions options, Uri url, string expectedText, StreamTally tally, CancellationToken cancellationToken)
    {
        using var client = new StreamClient(url, expectedText, tally);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Generous: a stream that is this late is stuck, and the run should end and say so rather than hang.
        deadline.CancelAfter(options.Ramp + (2 * options.Chunks * options.Interval) + TimeSpan.FromMinutes(2));
        var body = RequestBodies.Create(Model(options.Format, "slow"), options.RequestPath);
        var streams = new List<Task>(options.Streams);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < options.Streams && !deadline.IsCancellationRequested; i++)
        {
            var due = options.Ramp * i / options.Streams - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, CancellationToken.None);
            }

            streams.Add(client.RunAsync(i, body, deadline.Token));
        }

        await Task.WhenAll(streams);
    }

    /// <summary>The routed model: the fake provider paces every model but the warm-up one.</summary>
    private static string Model(UpstreamFormat format, string name) => format == UpstreamFormat.OpenAI ? $"openai:{name}" : $"anthropic:{name}";

    private static (long? PeakKiB, TimeSpan? Cpu, string? Lost) ReadFinal(VdmServer vdm, TimeSpan cpuBefore, string? samplerStopped)
    {
        if (samplerStopped is not null || vdm.HasExited)
        {
            return (null, null, samplerStopped ?? $"vdm exited during the load:\n{vdm.Tail()}");
        }

        try
        {
            return (ProcFiles.Status(vdm.Pid).PeakRssKiB, ProcFiles.CpuTime(vdm.Pid) - cpuBefore, null);
        }
        catch (IOException exception)
        {
            return (null, null, $"vdm could not be read after the load: {exception.Message}");
        }
    }

    /// <summary>A progress line every few seconds, from the sampler's readings.</summary>
    private static Action<MemorySample> Progress(TextWriter output)
    {
        var next = TimeSpan.Zero;
        return sample =>
        {
            if (sample.At < next)
            {
                return;
            }

            next = sample.At + ProgressPeriod;
            output.WriteLine($"  {sample.At.TotalSeconds,5:F1} s  open {sample.ClientStreams,5} (upstream {sample.UpstreamStreams,5})  " +
                $"finished {sample.Finished,5}  RSS {sample.RssKiB / 1024.0,6:F1} MiB  threads {sample.Threads,3}  files {sample.OpenFiles}");
        };
    }
}
