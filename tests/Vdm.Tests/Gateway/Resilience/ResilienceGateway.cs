using System.Text;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>Shared set-up for the resilience specifications: settings with fast retries, and the requests they send.</summary>
internal static class ResilienceGateway
{
    public const string Request = """{"model":"openai:gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""";

    public const string StreamRequest = """{"model":"openai:gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

    /// <summary>
    /// Settings from <paramref name="variables"/> (a later value of a name replaces an earlier one), with retry backoffs
    /// of a few milliseconds so tests do not wait.
    /// </summary>
    public static GatewaySettings Settings(params (string Name, string Value)[] variables)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }

        return TestVariables.Settings([.. merged.Select(pair => (pair.Key, pair.Value))]) with { RetryBaseDelay = TimeSpan.FromMilliseconds(2) };
    }

    public static Task<HttpResponseMessage> PostAsync(RunningGateway gateway, string body, string path = "/v1/messages") =>
        gateway.Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>Posts and returns as soon as the headers are in, so the test can read the stream as it comes.</summary>
    public static Task<HttpResponseMessage> PostStreamingAsync(RunningGateway gateway, string body, string path = "/v1/messages") =>
        gateway.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);
}
