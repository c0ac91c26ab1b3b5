using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vdm.Gateway.Endpoints;

namespace Vdm.Gateway.Configuration;

/// <summary>
/// The <c>--reload</c> machinery of a running server: a watcher on the configuration files that, once their changes
/// settle, has the <see cref="ConfigReloader"/> re-read them. Without <c>--reload</c> none of it exists.
/// </summary>
internal sealed partial class ReloadOnChange : IDisposable
{
    private readonly EnvFileWatcher _watcher;

    private ReloadOnChange(ConfigReloader reloader, EnvFileWatcher watcher, IReadOnlyList<ConfigFile> watched)
    {
        Reloader = reloader;
        _watcher = watcher;
        Watched = watched;
    }

    public ConfigReloader Reloader { get; }

    /// <summary>The files whose directories are watched, in precedence order.</summary>
    public IReadOnlyList<ConfigFile> Watched { get; }

    /// <summary>Starts watching the files the configuration is read from, with the same environment, file and flags as the start.</summary>
    /// <param name="variables">The variables the server started with.</param>
    /// <param name="warnings">The configuration warnings already printed at start.</param>
    public static ReloadOnChange Start(
        IServiceProvider services, ConfigEnvironment environment, string? envFile, IReadOnlyDictionary<string, string> flags,
        LayeredVariables variables, IReadOnlyList<string> warnings)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<ConfigReloader>();
        var reloader = new ConfigReloader(
            () => GatewayConfiguration.Read(environment, envFile, flags), variables, warnings,
            services.GetRequiredService<GatewayStateHolder>(), services.GetService<ModelListCache>(), logger);

        var files = ConfigurationSources.Files(environment, envFile);
        var watcher = new EnvFileWatcher(
            files.Select(file => file.Path), services.GetRequiredService<TimeProvider>(), EnvFileWatcher.DefaultQuiet,
            () => reloader.Reload(), exception => LogWatchError(logger, exception.Message));
        var watched = files.Where(file => watcher.Directories.Contains(Path.GetDirectoryName(file.Path), StringComparer.Ordinal)).ToList();
        return new ReloadOnChange(reloader, watcher, watched);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        Reloader.Dispose();
    }

    [LoggerMessage(EventId = 47, Level = LogLevel.Warning, Message = "watching the configuration files: {Message}; reading them again to be sure")]
    private static partial void LogWatchError(ILogger logger, string message);
}
