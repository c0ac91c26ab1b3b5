using Vdm.Conversion.Json;

namespace Vdm.Gateway.Upstream;

/// <summary>Reads a provider's response body whole, into pooled memory, up to a limit (error bodies need no more).</summary>
internal static class UpstreamBody
{
    public static async Task<PooledBufferWriter> ReadAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter(16 * 1024);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
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
