using Microsoft.Extensions.Logging;
using Vdm.Gateway.Endpoints;

namespace Vdm.Gateway.Configuration;

/// <summary>What a reload did.</summary>
internal enum ReloadStatus
{
    /// <summary>Nothing in effect changed (a file was touched, or changed only where a higher layer wins).</summary>
    Unchanged,

    /// <summary>A new gateway state serves new requests.</summary>
    Applied,

    /// <summary>Only settings that need a restart changed; they keep their running values.</summary>
    RestartNeeded,

    /// <summary>The new configuration is invalid (or could not be built); the running one is kept.</summary>
    Rejected,
}

/// <summary>A reload's status, what changed (names only) and, when rejected, why.</summary>
internal sealed record ReloadOutcome(ReloadStatus Status, ConfigChanges? Changes, IReadOnlyList<string> Errors);

/// <summary>
/// <c>vdm server start --reload</c>: re-reads the configuration the way the start did (same environment snapshot,
/// flags and files) and, when it is valid, swaps in a new <see cref="GatewayState"/> for new requests while requests
/// in flight finish on theirs. An invalid configuration is logged, problem by problem, and the running one kept.
/// Each reload logs one line naming the variables that changed, never their values.
/// </summary>
internal sealed partial class ConfigReloader : IDisposable
{
    private readonly Func<(LayeredVariables Variables, SettingsLoadResult Result)> _read;
    private readonly GatewayStateHolder _holder;
    private readonly ModelListCache? _modelLists;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // The variables behind the running state (or, after a restart-only change, the last ones read), and the warnings
    // already reported, so that a reload reports only what is new.
    private LayeredVariables _variables;
    private IReadOnlyList<string> _warnings;
    private bool _stopped;

    /// <param name="read">Reads the configuration as the start did.</param>
    /// <param name="variables">The variables the running state was built from.</param>
    /// <param name="warnings">The warnings already reported at start.</param>
    public ConfigReloader(
        Func<(LayeredVariables Variables, SettingsLoadResult Result)> read, LayeredVariables variables, IReadOnlyList<string> warnings,
        GatewayStateHolder holder, ModelListCache? modelLists, ILogger logger)
    {
        _read = read;
        _variables = variables;
        _warnings = warnings;
        _holder = holder;
        _modelLists = modelLists;
        _logger = logger;
    }

    /// <summary>Re-reads the configuration and applies it if it is valid; never throws.</summary>
    public ReloadOutcome Reload()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return new ReloadOutcome(ReloadStatus.Unchanged, null, []);
            }

            try
            {
                return ReloadLocked();
            }
            catch (Exception exception)
            {
                // Building the new state failed in a way the loader did not foresee (a certificate file that became
                // unreadable): the running state is untouched, so say so and keep serving.
                LogFailed(_logger, exception.Message);
                return new ReloadOutcome(ReloadStatus.Rejected, null, [exception.Message]);
            }
        }
    }

    /// <summary>Stops reloading: waits for a reload in progress, and makes later ones do nothing (the server is stopping).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
        }
    }

    private ReloadOutcome ReloadLocked()
    {
        var (variables, result) = _read();
        var running = _holder.Current;
        var changes = ConfigChanges.Between(_variables, variables, running.Settings, result.Settings);
        var sources = changes.Sources.Count > 0 ? string.Join(" and ", changes.Sources) : "the .env files";

        if (result.Settings is not { } loaded)
        {
            foreach (var error in result.Errors)
            {
                LogRejected(_logger, sources, error);
            }

            return new ReloadOutcome(ReloadStatus.Rejected, changes, result.Errors);
        }

        foreach (var warning in result.Warnings.Except(_warnings, StringComparer.Ordinal))
        {
            LogWarning(_logger, sources, warning);
        }

        var notes = changes.Overridden.Count > 0 ? "; kept where another layer wins: " + string.Join(", ", changes.Overridden) : "";

        if (changes.Changed.Count == 0)
        {
            Remember(variables, result.Warnings);
            if (changes.NeedRestart.Count > 0)
            {
                LogRestartOnly(_logger, sources, string.Join(", ", changes.NeedRestart), notes);
                return new ReloadOutcome(ReloadStatus.RestartNeeded, changes, []);
            }

            if (changes.Sources.Count > 0)
            {
                LogUnchanged(_logger, sources, notes);
            }

            return new ReloadOutcome(ReloadStatus.Unchanged, changes, []);
        }

        // Built before anything is remembered: when building throws (Reload's catch), the next reload must still see
        // these changes as changes, not as what already runs.
        var applied = ConfigChanges.Applicable(running.Settings, loaded);
        _holder.Replace(new GatewayState(applied, running.Time, running));
        Remember(variables, result.Warnings);

        // A provider may be gone or lead elsewhere now; its list is fetched again when next asked for.
        _modelLists?.Clear();

        var changed = string.Join(", ", changes.Changed);
        var providers = applied.Providers.IsEmpty ? "none" : string.Join(", ", applied.Providers.Select(provider => provider.Name));
        if (changes.NeedRestart.Count > 0)
        {
            LogAppliedButRestart(_logger, sources, changed, providers, string.Join(", ", changes.NeedRestart), notes);
        }
        else
        {
            LogApplied(_logger, sources, changed, providers, notes);
        }

        return new ReloadOutcome(ReloadStatus.Applied, changes, []);
    }

    private void Remember(LayeredVariables variables, IReadOnlyList<string> warnings)
    {
        _variables = variables;
        _warnings = warnings;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "configuration reloaded from {Sources}: {Changed} changed; providers: {Providers}{Notes}")]
    private static partial void LogApplied(ILogger logger, string sources, string changed, string providers, string notes);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning,
        Message = "configuration reloaded from {Sources}: {Changed} changed; providers: {Providers}; restart needed for {NeedRestart} (running values kept){Notes}")]
    private static partial void LogAppliedButRestart(ILogger logger, string sources, string changed, string providers, string needRestart, string notes);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "configuration in {Sources} changed: restart needed for {NeedRestart} (running values kept); nothing else changed{Notes}")]
    private static partial void LogRestartOnly(ILogger logger, string sources, string needRestart, string notes);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "configuration in {Sources} changed, but no setting did{Notes}")]
    private static partial void LogUnchanged(ILogger logger, string sources, string notes);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "configuration in {Sources} not applied, the running one is kept: {Problem}")]
    private static partial void LogRejected(ILogger logger, string sources, string problem);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "configuration in {Sources}: {Warning}")]
    private static partial void LogWarning(ILogger logger, string sources, string warning);

    [LoggerMessage(EventId = 46, Level = LogLevel.Error, Message = "reloading the configuration failed, the running one is kept: {Message}")]
    private static partial void LogFailed(ILogger logger, string message);
}
