using System.Buffers;
using Vdm.Conversion;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// The middlewares taking part in one request, in their configured order, joined into the conversion's
/// <see cref="ConversionHooks"/>: each hook sees what the one before it wrote. Built only when at least one takes
/// part, so a request with none pays nothing at all.
/// </summary>
internal sealed class MiddlewarePipeline
{
    private readonly MiddlewareRun[] _runs;

    public MiddlewarePipeline(MiddlewareRun[] runs)
    {
        _runs = runs;
        Hooks = new ConversionHooks { RewriteRequest = RewriteRequest, RewriteUpstream = RewriteResponse };
    }

    public ConversionHooks Hooks { get; }

    public void Completed(MiddlewareOutcome outcome)
    {
        foreach (var run in _runs)
        {
            run.Completed(outcome);
        }
    }

    private bool RewriteRequest(ReadOnlyMemory<byte> request, IBufferWriter<byte> rewritten) =>
        Chain(request.Span, rewritten, static (run, input, output) => run.RewriteRequest(input, output));

    private bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten) =>
        Chain(json, rewritten, static (run, input, output) => run.RewriteResponse(input, output));

    private delegate bool Hook(MiddlewareRun run, ReadOnlySpan<byte> input, IBufferWriter<byte> output);

    private bool Chain(ReadOnlySpan<byte> input, IBufferWriter<byte> output, Hook hook)
    {
        if (_runs.Length == 1)
        {
            return hook(_runs[0], input, output);
        }

        // Each rewrite goes to a fresh buffer and becomes the next one's input; the last buffer is the answer.
        PooledBufferWriter? current = null;
        try
        {
            foreach (var run in _runs)
            {
                var next = new PooledBufferWriter(input.Length + 256);
                if (hook(run, current is null ? input : current.WrittenSpan, next))
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
