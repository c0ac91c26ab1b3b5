using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// A client request body, read whole into pooled memory and parsed once (one validating pass, no strings made but
/// the few read here): the routing needs the model, the answer whether a stream is wanted, the key choice the
/// session, and the conversion works from the same parsed document.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 512 };

    private readonly PooledBufferWriter _buffer;
    private readonly JsonDocument _document;

    private RequestBody(PooledBufferWriter buffer, JsonDocument document)
    {
        _buffer = buffer;
        _document = document;
        var root = document.RootElement;
        Model = root.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
        Stream = root.TryGetProperty("stream"u8, out var stream) && stream.ValueKind == JsonValueKind.True;
        MetadataUserId = root.TryGetProperty("metadata"u8, out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("user_id"u8, out var userId) && userId.ValueKind == JsonValueKind.String
                ? userId.GetString()
                : null;
    }

    public ReadOnlyMemory<byte> Memory => _buffer.WrittenMemory;

    /// <summary>The parsed body, a JSON object; valid until the body is disposed.</summary>
    public JsonElement Root => _document.RootElement;

    /// <summary>The top-level <c>model</c>, or null when absent or not a string.</summary>
    public string? Model { get; }

    public bool Stream { get; }

    /// <summary><c>metadata.user_id</c>, where Claude Code names its session.</summary>
    public string? MetadataUserId { get; }

    /// <summary>Reads and parses the body; null with the problem when it is not a JSON object (or not text: <see cref="JsonText"/>).</summary>
    /// <param name="contentLength">The body's declared length, to size the buffer once; null when chunked.</param>
    public static async Task<(RequestBody? Body, string? Problem)> ReadAsync(PipeReader reader, long? contentLength, CancellationToken cancellationToken)
    {
        // The body lives as long as its request (a stream may run for minutes), so it gets what it needs, not a
        // generous default: its declared length, or 4 KiB to grow from. Kestrel has already refused a length over the limit.
        var buffer = new PooledBufferWriter(contentLength is > 0 and <= int.MaxValue ? (int)contentLength.Value : 4 * 1024);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var segment in result.Buffer)
                {
                    buffer.Write(segment.Span);
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            // The parser leaves the bytes inside strings unchecked, and later reads of such a string would throw.
            if (JsonText.FindInvalidUtf8(buffer.WrittenSpan) is >= 0 and var invalid)
            {
                buffer.Dispose();
                return (null, $"The request body is not valid UTF-8: the bytes at offset {invalid} are not a UTF-8 character.");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(buffer.WrittenMemory, ParseOptions);
            }
            catch (JsonException exception)
            {
                buffer.Dispose();
                return (null, $"The request body is not valid JSON: {exception.Message}");
            }

            if (JsonText.FindUnpairedSurrogate(buffer.WrittenSpan) is >= 0 and var half)
            {
                var escape = Encoding.ASCII.GetString(buffer.WrittenSpan.Slice(half, 6));
                document.Dispose();
                buffer.Dispose();
                return (null, $"The request body is not valid JSON: the escape {escape} at offset {half} is half of a surrogate pair, not a character.");
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                buffer.Dispose();
                return (null, "The request body must be a JSON object.");
            }

            return (new RequestBody(buffer, document), null);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Returns the memory; a second call does nothing. The parsed values (<see cref="Root"/>) are gone after it.</summary>
    public void Dispose()
    {
        _document.Dispose();
        _buffer.Dispose();
    }
}
