using Microsoft.Extensions.Logging;
using Vdm.Gateway;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// With <c>LOG_FORMAT=json</c>, what the text banner and its warnings say, as log events: stderr then carries nothing
/// but one JSON object per line, which a collector can take whole.
/// </summary>
internal static partial class StartupLog
{
    public const string Category = "Vdm.Server";

    public static void Started(ILogger logger, GatewaySettings settings, Uri listening, IReadOnlyList<string> warnings, IReadOnlyList<ConfigFile>? watched)
    {
        foreach (var warning in warnings)
        {
            LogWarning(logger, warning);
        }

        var clientUrl = new ListenAddress(settings.Host, settings.Port).ClientUrl(listening.Port).ToString().TrimEnd('/');
        var providers = string.Join(", ", settings.Providers.Select(provider => $"{provider.Name} ({provider.FormatName}, {provider.BaseUrl.OriginalString})"));
        LogStarted(logger, VdmVersion.Current, clientUrl, providers.Length == 0 ? "none" : providers, settings.DefaultProvider ?? "none");
        if (watched is not null)
        {
            LogReloading(logger, watched.Count > 0 ? string.Join(", ", watched.Select(file => file.Label)) : "nothing (no configuration directory exists)");
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "reload: applying changes to {Files}")]
    private static partial void LogReloading(ILogger logger, string files);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "vdm {Version} listening on {Url} with providers: {Providers}; default provider: {DefaultProvider}")]
    private static partial void LogStarted(ILogger logger, string version, string url, string providers, string defaultProvider);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "vdm stopped")]
    public static partial void Stopped(ILogger logger);
}
