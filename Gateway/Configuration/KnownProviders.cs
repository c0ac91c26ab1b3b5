using System.Collections.Frozen;
using Vdm.Conversion;

namespace Vdm.Gateway.Configuration;

/// <summary>Providers vdm knows by name, so that a key alone is enough to use them.</summary>
internal static class KnownProviders
{
    public static readonly FrozenDictionary<string, (string BaseUrl, ApiFormat Format)> All =
        new Dictionary<string, (string, ApiFormat)>(StringComparer.Ordinal)
        {
            ["openai"] = ("https://api.openai.com/v1", ApiFormat.OpenAI),
            ["anthropic"] = ("https://api.anthropic.com", ApiFormat.Anthropic),
            ["poe"] = ("https://api.poe.com/v1", ApiFormat.OpenAI),
            ["openrouter"] = ("https://openrouter.ai/api/v1", ApiFormat.OpenAI),
            ["gemini"] = ("https://generativelanguage.googleapis.com/v1beta/openai", ApiFormat.OpenAI),
            ["deepseek"] = ("https://api.deepseek.com", ApiFormat.OpenAI),
            ["groq"] = ("https://api.groq.com/openai/v1", ApiFormat.OpenAI),
            ["mistral"] = ("https://api.mistral.ai/v1", ApiFormat.OpenAI),
            ["xai"] = ("https://api.x.ai/v1", ApiFormat.OpenAI),
            ["together"] = ("https://api.together.xyz/v1", ApiFormat.OpenAI),
            ["fireworks"] = ("https://api.fireworks.ai/inference/v1", ApiFormat.OpenAI),
            ["cerebras"] = ("https://api.cerebras.ai/v1", ApiFormat.OpenAI),
            ["ollama"] = ("http://localhost:11434/v1", ApiFormat.OpenAI),
            ["lmstudio"] = ("http://localhost:1234/v1", ApiFormat.OpenAI),
        }.ToFrozenDictionary(StringComparer.Ordinal);
}
