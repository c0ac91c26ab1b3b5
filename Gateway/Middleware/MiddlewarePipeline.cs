using System.Buffers;
using Vdm.Conversion;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// The middlewares taking part in one request, in their configured order, joined into the conversion's
/// <see cref="ConversionHooks"/>: each hook sees what the one before it wrote. Built only when at least one takes
/// part, so a request with none pays nothing at all. A hook that throws leaves its input as it was: a middleware's
/// bug must not cost the client its request (it is the conversion's job to report bad JSON, not a middleware's).
/// </summary>
internal sealed class MiddlewarePipeline
{
    private readonly MiddlewareRun[] _runs;

    public MiddlewarePipeline(MiddlewareRun[] runs)
    {
        _runs = runs;
        Hooks = new ConversionHooks { RewriteRequest = RewriteRequest, RewriteUpstream = runs.Any(run => run.RewritesResponses) ? RewriteResponse : null };
    }

    public ConversionHooks Hooks { get; }

    public void Completed(MiddlewareOutcome outcome)
    {
        foreach (var run in _runs)
        {
            try
            {
                run.Completed(outcome);
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or IOException)
            {
                // Reporting only; the answer is already out.
            }
        }
    }

    private bool RewriteRequest(ReadOnlyMemory<byte> request, IBufferWriter<byte> rewritten) =>
        Chain(request.Span, rewritten, static (run, input, output) => run.RewriteRequest(input, output));

    private bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten) =>
        Chain(json, rewritten, static (run, input, output) => run.RewriteResponse(input, output));

    private delegate bool Hook(MiddlewareRun run, ReadOnlySpan<byte> input, IBufferWriter<byte> output);

    private bool Chain(ReadOnlySpan<byte> input, IBufferWriter<byte> output, Hook hook)
    {
        // Each rewrite goes to a buffer of its own and becomes the next one's input, so a hook that fails halfway leaves
        // nothing behind; the last buffer written is the answer.
        PooledBufferWriter? current = null;
        try
        {
            foreach (var run in _runs)
            {
                var next = new PooledBufferWriter(input.Length + 256);
                bool wrote;
                try
                {
                    wrote = hook(run, current is null ? input : current.WrittenSpan, next);
                }
                catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or System.Text.Json.JsonException)
                {
                    wrote = false;
                }

                if (wrote)
                {
                    current?.Dispose();
                    current = next;
                }
                else
                {
                    next.Dispose();
                }
            }

            if (current is null)
            {
                return false;
            }

            output.Write(current.WrittenSpan);
            return true;
        }
        finally
        {
            current?.Dispose();
        }
    }
}
