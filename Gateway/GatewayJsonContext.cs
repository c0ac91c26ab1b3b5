using System.Text.Json.Serialization;

namespace Vdm.Gateway;

/// <summary>Source-generated JSON for the gateway's own endpoints (not the proxied API formats, which live in Conversion).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RootResponse))]
[JsonSerializable(typeof(Endpoints.CountTokensResponse))]
[JsonSerializable(typeof(Endpoints.AnthropicModelList))]
[JsonSerializable(typeof(Endpoints.OpenAIModelList))]
[JsonSerializable(typeof(Endpoints.AliasesResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
