using Vdm.Gateway;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>The start-up banner: where vdm listens, what it routes to, and how to point Claude Code at it.</summary>
internal static class Banner
{
    /// <param name="watched">With <c>--reload</c>, the configuration files watched for changes.</param>
    public static async Task WriteAsync(TextWriter writer, GatewaySettings settings, Uri listening, IReadOnlyList<ConfigFile>? watched = null)
    {
        var clientUrl = new ListenAddress(settings.Host, settings.Port).ClientUrl(listening.Port);
        await writer.WriteLineAsync($"vdm {VdmVersion.Current} listening on {clientUrl}").ConfigureAwait(false);

        if (settings.Providers.IsEmpty)
        {
            await writer.WriteLineAsync("  no providers yet: add one with a key, such as OPENAI_API_KEY=sk-... in ./.env " +
                "(any {NAME}_API_KEY works; 'vdm config env' lists every variable)").ConfigureAwait(false);
        }
        else
        {
            await writer.WriteLineAsync("  providers:").ConfigureAwait(false);
            var nameWidth = settings.Providers.Max(provider => provider.Name.Length);
            var urlWidth = settings.Providers.Max(provider => provider.BaseUrl.OriginalString.Length);
            foreach (var provider in settings.Providers)
            {
                var keys = provider.Auth == ProviderAuth.None ? "no key" : string.Join(' ', provider.KeyFingerprints);
                await writer.WriteLineAsync(
                    $"    {provider.Name.PadRight(nameWidth)}  {provider.FormatName,-9}  {provider.BaseUrl.OriginalString.PadRight(urlWidth)}  {keys}")
                    .ConfigureAwait(false);
            }

            await writer.WriteLineAsync($"  default provider: {settings.DefaultProvider ?? "none (use provider:model names)"}").ConfigureAwait(false);
        }

        if (settings.ProxyApiKey is not null)
        {
            await writer.WriteLineAsync("  clients must send PROXY_API_KEY (as x-api-key or a Bearer token, or as x-vdm-proxy-key when they also " +
                "bring their own provider key)").ConfigureAwait(false);
        }

        if (watched is not null)
        {
            var files = watched.Count > 0 ? string.Join(", ", watched.Select(file => file.Label)) : "nothing (no configuration directory exists)";
            await writer.WriteLineAsync($"  reload: applying changes to {files}").ConfigureAwait(false);
        }

        await writer.WriteLineAsync($"  Claude Code:  ANTHROPIC_BASE_URL={clientUrl} claude").ConfigureAwait(false);
    }
}
