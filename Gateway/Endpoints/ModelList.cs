using System.Globalization;
using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>One model of a list, in neither API's shape: what both shapes are written from.</summary>
/// <param name="Id">The name a client sends as <c>model</c>.</param>
/// <param name="DisplayName">A human name (Anthropic's <c>display_name</c>).</param>
/// <param name="Created">Unix seconds (OpenAI's <c>created</c>); 0 when unknown.</param>
/// <param name="OwnedBy">Who serves it (OpenAI's <c>owned_by</c>).</param>
internal sealed record ModelEntry(string Id, string DisplayName, long Created, string OwnedBy);

/// <summary>Reads a provider's model list and writes a list in the client's shape.</summary>
internal static class ModelList
{
    /// <summary>
    /// Reads <c>{"data":[{…}]}</c> as OpenAI (<c>id</c>, <c>created</c>, <c>owned_by</c>) and Anthropic
    /// (<c>id</c>, <c>display_name</c>, <c>created_at</c>) give it; each id is prefixed with the provider's name, so
    /// it can be sent to vdm as it is (null for a list that is vdm's own, whose ids already are). Null when the body has
    /// no such list.
    /// </summary>
    public static List<ModelEntry>? Read(ReadOnlySpan<byte> body, string? provider)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var models = new List<ModelEntry>(data.GetArrayLength());
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || String(item, "id") is not { Length: > 0 } id)
                {
                    continue;
                }

                var created = item.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var seconds)
                    ? seconds
                    : ParseTime(String(item, "created_at"));
                models.Add(new ModelEntry(provider is null ? id : $"{provider}:{id}", String(item, "display_name") ?? id, created,
                    String(item, "owned_by") ?? provider ?? ""));
            }

            return models;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static AnthropicModelList ToAnthropic(IReadOnlyList<ModelEntry> models) => new(
        [.. models.Select(model => new AnthropicModel("model", model.Id, model.DisplayName, FormatTime(model.Created)))],
        false,
        models.Count > 0 ? models[0].Id : null,
        models.Count > 0 ? models[^1].Id : null);

    public static OpenAIModelList ToOpenAI(IReadOnlyList<ModelEntry> models) =>
        new("list", [.. models.Select(model => new OpenAIModel(model.Id, "model", model.Created, model.OwnedBy))]);

    /// <summary>RFC 3339 in UTC, as Anthropic writes <c>created_at</c>.</summary>
    public static string FormatTime(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeSeconds()
            : 0;

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Anthropic's <c>GET /v1/models</c> body.</summary>
internal sealed record AnthropicModelList(IReadOnlyList<AnthropicModel> Data, bool HasMore, string? FirstId, string? LastId);

/// <summary>One model in Anthropic's list.</summary>
internal sealed record AnthropicModel(string Type, string Id, string DisplayName, string CreatedAt);

/// <summary>OpenAI's <c>GET /v1/models</c> body.</summary>
internal sealed record OpenAIModelList(string Object, IReadOnlyList<OpenAIModel> Data);

/// <summary>One model in OpenAI's list.</summary>
internal sealed record OpenAIModel(string Id, string Object, long Created, string OwnedBy);
