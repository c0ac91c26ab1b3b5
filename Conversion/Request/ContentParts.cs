using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>Images and documents as OpenAI content parts (peers.md §3.1 items 7-11).</summary>
internal static class ContentParts
{
    public static void WriteImage(Utf8JsonWriter writer, PooledBufferWriter scratch, JsonElement source, string path)
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
            writer.WriteRawValue(JsonValues.Raw(url), skipInputValidation: true);
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
            writer.WriteRawValue(JsonValues.Raw(data), skipInputValidation: true);
            writer.WriteEndObject();
            return;
        }

        if (JsonValues.StringEquals(type, "base64"u8) && !JsonValues.StringEquals(mediaType, "application/pdf"u8))
        {
            throw new InvalidRequestException(
                $"{path}.source.media_type: only PDF documents (application/pdf) and text documents can be sent to an OpenAI-format provider");
        }

        if (!JsonValues.StringEquals(type, "base64"u8) || !JsonValues.IsString(data))
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
        if (JsonValues.HasText(block.Title))
        {
            writer.WriteRawValue(JsonValues.Raw(block.Title), skipInputValidation: true);
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
    private static ReadOnlySpan<byte> DataUrl(PooledBufferWriter scratch, JsonElement mediaType, JsonElement data)
    {
        if (JsonValues.Inner(data).StartsWith("data:"u8))
        {
            return JsonValues.Raw(data);
        }

        JoinedString.Start(scratch);
        scratch.Write("data:"u8);
        scratch.Write(JsonValues.Inner(mediaType));
        scratch.Write(";base64,"u8);
        scratch.Write(JsonValues.Inner(data));
        return JoinedString.Finish(scratch);
    }

    private static InvalidRequestException Unsupported(JsonElement sourceType, string path, string what)
    {
        var kind = JsonValues.IsString(sourceType) ? sourceType.GetString()! : "(missing)";
        return kind == "file"
            ? new InvalidRequestException($"{path}: {what} from the Files API (source.type \"file\") cannot be sent to an OpenAI-format provider")
            : new InvalidRequestException($"{path}.source: {what} with source type \"{kind}\" cannot be converted");
    }
}

/// <summary>The <c>source</c> of an image or document block.</summary>
internal readonly record struct MediaSource(JsonElement Type, JsonElement MediaType, JsonElement Data, JsonElement Url)
{
    public static MediaSource Read(JsonElement source, string path)
    {
        if (!JsonValues.IsObject(source))
        {
            throw new InvalidRequestException($"{path}.source: must be an object");
        }

        JsonElement type = default, mediaType = default, data = default, url = default;
        foreach (var property in source.EnumerateObject())
        {
            if (property.NameEquals("type"u8)) { type = property.Value; }
            else if (property.NameEquals("media_type"u8)) { mediaType = property.Value; }
            else if (property.NameEquals("data"u8)) { data = property.Value; }
            else if (property.NameEquals("url"u8)) { url = property.Value; }
        }

        return new MediaSource(type, mediaType, data, url);
    }
}
