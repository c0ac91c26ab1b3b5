using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>Images and documents as OpenAI content parts (peers.md §3.1 items 7-11).</summary>
internal static class ContentParts
{
    public static void WriteImage(Utf8JsonWriter writer, PooledBufferWriter scratch, ReadOnlySpan<byte> source, string path)
    {
        var (type, mediaType, data, url) = MediaSource.Read(source, path);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image_url"u8);
        writer.WriteStartObject("image_url"u8);
        writer.WritePropertyName("url"u8);
        if (JsonValues.StringEquals(type, "base64"u8) && JsonValues.IsString(data) && JsonValues.IsString(mediaType))
        {
            writer.WriteRawValue(DataUrl(scratch, mediaType, data), skipInputValidation: true);
        }
        else if (JsonValues.StringEquals(type, "url"u8) && JsonValues.IsString(url))
        {
            writer.WriteRawValue(url, skipInputValidation: true);
        }
        else
        {
            throw Unsupported(type, path, "an image");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteDocument(Utf8JsonWriter writer, PooledBufferWriter scratch, ContentBlock block, ConversionContext context, string path)
    {
        var (type, mediaType, data, _) = MediaSource.Read(block.Source, path);
        if (JsonValues.StringEquals(type, "text"u8) && JsonValues.IsString(data))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WritePropertyName("text"u8);
            writer.WriteRawValue(data, skipInputValidation: true);
            writer.WriteEndObject();
            return;
        }

        if (!JsonValues.StringEquals(type, "base64"u8) || !JsonValues.StringEquals(mediaType, "application/pdf"u8) || !JsonValues.IsString(data))
        {
            throw Unsupported(type, path, "a document");
        }

        if (!context.Profile.FileParts)
        {
            throw new InvalidRequestException(
                $"{path}: provider '{context.Provider}' cannot take PDF documents through its OpenAI-format API; send the text instead");
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "file"u8);
        writer.WriteStartObject("file"u8);
        writer.WritePropertyName("filename"u8);
        if (JsonValues.IsString(block.Title) && block.Title.Length > 2)
        {
            writer.WriteRawValue(block.Title, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue("document.pdf"u8);
        }

        writer.WritePropertyName("file_data"u8);
        writer.WriteRawValue(DataUrl(scratch, mediaType, data), skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>"data:{media_type};base64,{data}"</c>, unless the data already is such a URL (some clients send it so).</summary>
    private static ReadOnlySpan<byte> DataUrl(PooledBufferWriter scratch, ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> data)
    {
        if (JsonValues.Inner(data).StartsWith("data:"u8))
        {
            return data;
        }

        JoinedString.Start(scratch);
        scratch.Write("data:"u8);
        scratch.Write(JsonValues.Inner(mediaType));
        scratch.Write(";base64,"u8);
        scratch.Write(JsonValues.Inner(data));
        return JoinedString.Finish(scratch);
    }

    private static InvalidRequestException Unsupported(ReadOnlySpan<byte> sourceType, string path, string what)
    {
        var kind = JsonValues.IsString(sourceType) ? JsonValues.GetString(sourceType) : "(missing)";
        return kind == "file"
            ? new InvalidRequestException($"{path}: {what} from the Files API (source.type \"file\") cannot be sent to an OpenAI-format provider")
            : new InvalidRequestException($"{path}.source: {what} with source type \"{kind}\" cannot be converted");
    }
}

/// <summary>The <c>source</c> of an image or document block.</summary>
internal readonly ref struct MediaSource(ReadOnlySpan<byte> type, ReadOnlySpan<byte> mediaType, ReadOnlySpan<byte> data, ReadOnlySpan<byte> url)
{
    public static MediaSource Read(ReadOnlySpan<byte> source, string path)
    {
        if (!JsonValues.IsObject(source))
        {
            throw new InvalidRequestException($"{path}.source: must be an object");
        }

        ReadOnlySpan<byte> type = default, mediaType = default, data = default, url = default;
        var cursor = new JsonObjectCursor(source);
        while (cursor.MoveNext())
        {
            if (cursor.NameIs("type"u8)) { type = cursor.Value; }
            else if (cursor.NameIs("media_type"u8)) { mediaType = cursor.Value; }
            else if (cursor.NameIs("data"u8)) { data = cursor.Value; }
            else if (cursor.NameIs("url"u8)) { url = cursor.Value; }
        }

        return new MediaSource(type, mediaType, data, url);
    }

    public void Deconstruct(out ReadOnlySpan<byte> type, out ReadOnlySpan<byte> mediaType, out ReadOnlySpan<byte> data, out ReadOnlySpan<byte> url)
    {
        type = _type;
        mediaType = _mediaType;
        data = _data;
        url = _url;
    }

    private readonly ReadOnlySpan<byte> _type = type;
    private readonly ReadOnlySpan<byte> _mediaType = mediaType;
    private readonly ReadOnlySpan<byte> _data = data;
    private readonly ReadOnlySpan<byte> _url = url;
}
