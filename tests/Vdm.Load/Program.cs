using System.Runtime.InteropServices;
using Vdm.Load;

var options = LoadOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error is null ? LoadOptions.Usage : $"vdm load: {error}\n{LoadOptions.Usage}");
    return error is null ? 0 : 2;
}

// Ctrl+C or a TERM ends the run through its cancellation, so the finally blocks still kill vdm and the report of what
// ran so far is printed; the default would end this process at once and could leave vdm running.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    return await LoadRun.RunAsync(options, Console.Out, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Stopped before the streams started, so there is nothing to report.
    Console.Error.WriteLine("vdm load: stopped");
    return 130;
}
