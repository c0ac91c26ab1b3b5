using System.IO.Pipelines;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// A client request body, read whole into pooled memory (conversion needs all of it), and the two fields the gateway
/// needs before conversion: the model, to route, and whether the client wants a stream.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private readonly PooledBufferWriter _buffer;

    private RequestBody(PooledBufferWriter buffer, string? model, bool stream, string? metadataUserId)
    {
        _buffer = buffer;
        Model = model;
        Stream = stream;
        MetadataUserId = metadataUserId;
    }

    public ReadOnlyMemory<byte> Memory => _buffer.WrittenMemory;

    /// <summary>The top-level <c>model</c>, or null when absent or not a string.</summary>
    public string? Model { get; }

    public bool Stream { get; }

    /// <summary><c>metadata.user_id</c>, where Claude Code names its session.</summary>
    public string? MetadataUserId { get; }

    /// <summary>Reads the body; null with <paramref name="problem"/> set when it is not a JSON object.</summary>
    public static async Task<(RequestBody? Body, string? Problem)> ReadAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter(16 * 1024);
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

            var (model, stream, userId, problem) = Peek(buffer.WrittenSpan);
            if (problem is not null)
            {
                buffer.Dispose();
                return (null, problem);
            }

            return (new RequestBody(buffer, model, stream, userId), null);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    public void Dispose() => _buffer.Dispose();

    /// <summary>Reads only the top level (nested values are skipped, and validated, on the way).</summary>
    private static (string? Model, bool Stream, string? UserId, string? Problem) Peek(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 512 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, false, null, "The request body must be a JSON object.");
            }

            string? model = null, userId = null;
            var stream = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                var isStream = reader.ValueTextEquals("stream"u8);
                var isMetadata = reader.ValueTextEquals("metadata"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String)
                {
                    model = reader.GetString();
                }
                else if (isStream)
                {
                    stream = reader.TokenType == JsonTokenType.True;
                }
                else if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
                {
                    userId = ReadUserId(ref reader);
                    continue;
                }

                reader.Skip();
            }

            reader.Read();
            return (model, stream, userId, null);
        }
        catch (JsonException exception)
        {
            return (null, false, null, $"The request body is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Reads <c>metadata</c> to its end, returning its <c>user_id</c> string if it has one.</summary>
    private static string? ReadUserId(ref Utf8JsonReader reader)
    {
        string? userId = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUserId = reader.ValueTextEquals("user_id"u8);
            reader.Read();
            if (isUserId && reader.TokenType == JsonTokenType.String)
            {
                userId = reader.GetString();
            }

            reader.Skip();
        }

        return userId;
    }
}
