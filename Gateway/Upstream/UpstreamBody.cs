using Vdm.Conversion.Json;
using Vdm.Conversion.Streaming;

namespace Vdm.Gateway.Upstream;

/// <summary>Reads a provider's response body whole, into pooled memory, up to a limit (error bodies need no more).</summary>
internal static class UpstreamBody
{
    /// <summary>Reads under the gateway's limits (<see cref="UpstreamStream"/>): a stalled body ends in <see cref="UpstreamReadStopped"/>.</summary>
    public static async Task<PooledBufferWriter> ReadAsync(HttpResponseMessage response, int limit, Microsoft.AspNetCore.Http.HttpContext context, string provider)
    {
        var cancellationToken = context.RequestAborted;
        var buffer = new PooledBufferWriter(16 * 1024);
        try
        {
            var stream = await UpstreamStream.OpenAsync(response, context, provider).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (buffer.WrittenCount < limit)
                {
                    var memory = buffer.GetMemory(16 * 1024);
                    var read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    buffer.Advance(read);
                }
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
