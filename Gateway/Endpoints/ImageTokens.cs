using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Anthropic's rule for an image's tokens, width × height / 750, after the downscaling it applies (long edge at most
/// 1568 px, and no more than about 1,600 tokens); the size comes from the header of base64 PNG, GIF, JPEG or WebP
/// data. An image whose size cannot be read (a URL, a file id, another format) counts the maximum, ~1,600.
/// </summary>
internal static class ImageTokens
{
    public const int MaxLongEdge = 1568;

    /// <summary>The tokens of an image block's <c>source</c> (default when it has none).</summary>
    public static int Estimate(JsonElement source)
    {
        if (source.ValueKind == JsonValueKind.Object
            && source.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("base64")
            && source.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String
            && Size(data.GetString()!) is { } size)
        {
            return ForSize(size.Width, size.Height);
        }

        return TokenEstimator.UnknownImageTokens;
    }

    public static int ForSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            return TokenEstimator.UnknownImageTokens;
        }

        double w = width, h = height;
        var longEdge = Math.Max(w, h);
        if (longEdge > MaxLongEdge)
        {
            w *= MaxLongEdge / longEdge;
            h *= MaxLongEdge / longEdge;
        }

        return (int)Math.Min(TokenEstimator.UnknownImageTokens, Math.Ceiling(w * h / 750));
    }

    /// <summary>The pixel size in an image's header, or null when the data is not base64 of a known format.</summary>
    public static (int Width, int Height)? Size(string base64)
    {
        // Headers sit at the start, except JPEG's frame header, which follows the metadata segments.
        var length = Math.Min(base64.Length, 256 * 1024) & ~3;
        var bytes = ArrayPool<byte>.Shared.Rent(length / 4 * 3);
        try
        {
            return Convert.TryFromBase64Chars(base64.AsSpan(0, length), bytes, out var written) ? Parse(bytes.AsSpan(0, written)) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static (int Width, int Height)? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 24 && data.StartsWith("\x89PNG\r\n\x1a\n"u8))
        {
            return (BinaryPrimitives.ReadInt32BigEndian(data[16..]), BinaryPrimitives.ReadInt32BigEndian(data[20..]));
        }

        if (data.Length >= 10 && data.StartsWith("GIF8"u8))
        {
            return (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]), BinaryPrimitives.ReadUInt16LittleEndian(data[8..]));
        }

        if (data.Length >= 30 && data.StartsWith("RIFF"u8) && data[8..].StartsWith("WEBPVP8X"u8))
        {
            return (1 + (data[24] | data[25] << 8 | data[26] << 16), 1 + (data[27] | data[28] << 8 | data[29] << 16));
        }

        return data.Length >= 4 && data[0] == 0xFF && data[1] == 0xD8 ? Jpeg(data) : null;
    }

    /// <summary>Walks the JPEG segments to the first start-of-frame marker, which holds the size.</summary>
    private static (int Width, int Height)? Jpeg(ReadOnlySpan<byte> data)
    {
        var at = 2;
        while (at + 9 < data.Length)
        {
            if (data[at] != 0xFF)
            {
                return null;
            }

            var marker = data[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC))
            {
                return (BinaryPrimitives.ReadUInt16BigEndian(data[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(data[(at + 5)..]));
            }

            at += 2 + length;
        }

        return null;
    }
}
