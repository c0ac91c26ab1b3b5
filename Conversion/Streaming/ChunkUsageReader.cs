using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>Reads a chunk's <c>usage</c> object, when it has one, through the same counting as whole responses.</summary>
internal static class ChunkUsageReader
{
    public static void Read(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (OpenAIUsage.TryRead(ref reader, out var usage))
        {
            chunk.HasUsage = true;
            chunk.Usage = usage;
        }
    }
}
