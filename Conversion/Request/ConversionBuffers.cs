using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// The pooled scratch space of one request conversion: joined texts, echoed reasoning, compacted tool arguments.
/// Each buffer is rented on first use and returned when the conversion ends.
/// </summary>
internal sealed class ConversionBuffers : IDisposable
{
    private PooledBufferWriter? _text;
    private PooledBufferWriter? _thinking;
    private PooledBufferWriter? _arguments;

    public PooledBufferWriter Text => _text ??= new PooledBufferWriter();

    public PooledBufferWriter Thinking => _thinking ??= new PooledBufferWriter(512);

    public PooledBufferWriter Arguments => _arguments ??= new PooledBufferWriter(1024);

    public void Dispose()
    {
        _text?.Dispose();
        _thinking?.Dispose();
        _arguments?.Dispose();
    }
}
