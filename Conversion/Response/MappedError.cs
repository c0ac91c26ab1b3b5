using System.Buffers;

namespace Vdm.Conversion.Response;

/// <summary>An upstream failure as the client should see it: the HTTP status, Anthropic's error type, and a short message.</summary>
internal sealed record MappedError(int Status, string Type, string Message)
{
    /// <summary>Writes <c>{"type":"error","error":{"type":…,"message":…}}</c>, the body Claude Code and the SDKs parse.</summary>
    public void WriteBody(IBufferWriter<byte> output) => WriteBody(output, Type, Message);

    /// <inheritdoc cref="WriteBody(IBufferWriter{byte})"/>
    public static void WriteBody(IBufferWriter<byte> output, string type, string message) => AnthropicErrorBody.Write(output, type, message);
}
