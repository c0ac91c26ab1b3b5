using System.Text;
using System.Text.Json;

namespace Vdm.Load;

/// <summary>
/// The body every stream sends: by default the smallest streaming request, or a given Anthropic request (such as
/// the 93 KB Claude Code fixture) with its model and stream flag replaced, since what vdm holds per stream may grow
/// with what the client sent.
/// </summary>
internal static class RequestBodies
{
    public static byte[] Create(string model, string? templatePath)
    {
        if (templatePath is null)
        {
            return Encoding.UTF8.GetBytes(
                $$"""{"model":"{{model}}","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        }

        using var template = JsonDocument.Parse(File.ReadAllBytes(templatePath));
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, model);
            writer.WriteBoolean("stream"u8, true);
            foreach (var property in template.RootElement.EnumerateObject())
            {
                if (!property.NameEquals("model"u8) && !property.NameEquals("stream"u8))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return body.ToArray();
    }
}
