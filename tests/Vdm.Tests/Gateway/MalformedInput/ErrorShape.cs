using System.Net.Http.Headers;
using System.Text.Json;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>The two error shapes a client may get: Anthropic's on the Messages endpoints, OpenAI's on Chat Completions.</summary>
internal enum ErrorShape
{
    Anthropic,
    OpenAI,
}

/// <summary>Checks that an answer is a well-formed error of an endpoint's shape.</summary>
internal static class ErrorShapes
{
    /// <summary>Null when <paramref name="body"/> is a JSON error of <paramref name="shape"/>; otherwise what is wrong with it.</summary>
    public static string? Problem(ErrorShape shape, MediaTypeHeaderValue? contentType, byte[] body)
    {
        if (contentType?.MediaType != "application/json")
        {
            return $"content-type {contentType?.ToString() ?? "(none)"}";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return "no error object";
            }

            var typed = root.TryGetProperty("type", out var type);
            if (shape == ErrorShape.Anthropic && (!typed || !type.ValueEquals("error")))
            {
                return "not Anthropic-shaped: no \"type\":\"error\"";
            }

            if (shape == ErrorShape.OpenAI && typed)
            {
                return "not OpenAI-shaped: a top-level type";
            }

            return HasText(error, "type") && HasText(error, "message") ? null : "error.type or error.message missing or empty";
        }
        catch (JsonException exception)
        {
            return $"not JSON: {exception.Message}";
        }
    }

    private static bool HasText(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 };
}
