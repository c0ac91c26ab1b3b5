using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway.Configuration;

/// <summary>The outcome of reading the configuration: the snapshot when it is valid, and every problem and warning.</summary>
internal sealed record SettingsLoadResult(GatewaySettings? Settings, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Settings is not null;
}

/// <summary>
/// Turns merged variables into a <see cref="GatewaySettings"/> snapshot by hand (no binder, no reflection), reporting
/// every problem at once rather than stopping at the first.
/// </summary>
internal static class SettingsLoader
{
    public static SettingsLoadResult Load(LayeredVariables variables)
    {
        var diagnostics = new ConfigDiagnostics();

        var host = ReadHost(variables, diagnostics);
        var port = ReadInt(variables, diagnostics, VariableCatalog.Port, 0, 65535) ?? 8082;
        var logLevel = ReadLogLevel(variables, diagnostics);
        var jsonLogs = ReadLogFormat(variables, diagnostics);
        var dumpDirectory = variables.TryGetNonEmpty(VariableCatalog.DumpDirectory, out var dump) ? dump.Value.Trim() : null;
        var metricsMaxModels = ReadInt(variables, diagnostics, VariableCatalog.MetricsMaxModels, 0, 100_000) ?? 200;
        var thoughtSignatures = new ThoughtSignatureSettings(
            ReadBool(variables, diagnostics, VariableCatalog.ThoughtSignaturesEnabled) ?? true,
            ReadInt(variables, diagnostics, VariableCatalog.ThoughtSignatureCacheSize, 0, 10_000_000) ?? 10_000,
            ReadSeconds(variables, diagnostics, VariableCatalog.ThoughtSignatureCacheTtl) ?? TimeSpan.FromHours(1));
        var requestTimeout = ReadSeconds(variables, diagnostics, VariableCatalog.RequestTimeout) ?? TimeSpan.FromSeconds(600);
        var maxRetries = ReadInt(variables, diagnostics, VariableCatalog.MaxRetries, 0, 100) ?? 2;
        var connectTimeout = ReadSeconds(variables, diagnostics, VariableCatalog.ConnectTimeout) ?? TimeSpan.FromSeconds(30);
        var streamReadTimeout = ReadSeconds(variables, diagnostics, VariableCatalog.StreamReadTimeout) ?? TimeSpan.FromSeconds(300);
        var retryAfterMax = ReadSeconds(variables, diagnostics, VariableCatalog.RetryAfterMax) ?? TimeSpan.FromSeconds(30);
        var keyCooldown = ReadSeconds(variables, diagnostics, VariableCatalog.KeyCooldown) ?? TimeSpan.FromSeconds(60);
        var shutdownTimeout = ReadSeconds(variables, diagnostics, VariableCatalog.ShutdownTimeout) ?? TimeSpan.FromSeconds(8);
        var maxRequestBytes = ReadInt(variables, diagnostics, VariableCatalog.MaxRequestBytes, 1024, int.MaxValue) ?? 32 * 1024 * 1024;
        var outbound = OutboundNetworkReader.Read(variables, diagnostics);
        var maxTokens = ReadInt(variables, diagnostics, VariableCatalog.MaxTokensLimit, 1, int.MaxValue);
        var minTokens = ReadInt(variables, diagnostics, VariableCatalog.MinTokensLimit, 1, int.MaxValue);
        if (maxTokens < minTokens)
        {
            variables.TryGetNonEmpty(VariableCatalog.MinTokensLimit, out var min);
            variables.TryGetNonEmpty(VariableCatalog.MaxTokensLimit, out var max);
            diagnostics.Error($"{ConfigDiagnostics.Describe(VariableCatalog.MinTokensLimit, min)} is above " +
                $"{ConfigDiagnostics.Describe(VariableCatalog.MaxTokensLimit, max)}: the floor must not exceed the cap");
        }

        var proxyKey = variables.TryGetNonEmpty(VariableCatalog.ProxyApiKey, out var proxy) ? proxy.Value.Trim() : null;

        var configuredDefault = variables.TryGetNonEmpty(VariableCatalog.DefaultProvider, out var defaultValue)
            ? defaultValue.Value.Trim().ToLowerInvariant()
            : null;

        var listen = new ListenAddress(host, port);
        var discovery = new ProviderDiscovery(variables, diagnostics, listen, configuredDefault, maxTokens, minTokens);
        var providers = MiddlewareReader.Apply(discovery.Discover(), variables, diagnostics, thoughtSignatures.Enabled);
        var defaultProvider = ResolveDefault(providers, discovery.CandidateNames, configuredDefault, defaultValue, diagnostics);

        if (diagnostics.Errors.Count > 0)
        {
            return new SettingsLoadResult(null, diagnostics.Errors, diagnostics.Warnings);
        }

        var settings = new GatewaySettings
        {
            Host = host,
            Port = port,
            LogLevel = logLevel,
            JsonLogs = jsonLogs,
            DumpDirectory = dumpDirectory,
            MetricsMaxModels = metricsMaxModels,
            ThoughtSignatures = thoughtSignatures,
            ProxyApiKey = proxyKey,
            DefaultProvider = defaultProvider,
            RequestTimeout = requestTimeout,
            MaxRetries = maxRetries,
            ConnectTimeout = connectTimeout,
            StreamReadTimeout = streamReadTimeout,
            RetryAfterMax = retryAfterMax,
            KeyCooldown = keyCooldown,
            ShutdownTimeout = shutdownTimeout,
            MaxRequestBytes = maxRequestBytes,
            Outbound = outbound,
            MaxTokensLimit = maxTokens,
            MinTokensLimit = minTokens,
            Providers = providers,
            Aliases = discovery.Aliases,
        };
        return new SettingsLoadResult(settings, diagnostics.Errors, diagnostics.Warnings);
    }

    private static string? ResolveDefault(
        ImmutableArray<ProviderSettings> providers, IReadOnlySet<string> candidates, string? configured, ConfigValue configuredValue,
        ConfigDiagnostics diagnostics)
    {
        if (configured is not null)
        {
            // A provider whose key is set but whose settings failed has its own error; a second one here would mislead.
            if (providers.Any(provider => provider.Name == configured) || candidates.Contains(configured))
            {
                return configured;
            }

            var known = GatewaySettings.DescribeProviders(providers);
            diagnostics.Invalid(VariableCatalog.DefaultProvider, configuredValue,
                $"no provider '{configured}' ({known}); set {configured.ToUpperInvariant()}_API_KEY to add it");
            return null;
        }

        if (providers.Length == 1)
        {
            return providers[0].Name;
        }

        if (providers.Length > 1)
        {
            diagnostics.Warn($"{VariableCatalog.DefaultProvider} is not set and {providers.Length} providers are configured: " +
                $"model names need a provider prefix such as {providers[0].Name}:MODEL (or set {VariableCatalog.DefaultProvider}={providers[0].Name})");
        }

        return null;
    }

    private static string ReadHost(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        if (!variables.TryGetNonEmpty(VariableCatalog.Host, out var value))
        {
            return "127.0.0.1";
        }

        var host = value.Value.Trim();
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _))
        {
            return host;
        }

        diagnostics.Invalid(VariableCatalog.Host, value, "must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost");
        return "127.0.0.1";
    }

    private static bool? ReadBool(LayeredVariables variables, ConfigDiagnostics diagnostics, string name)
    {
        if (!variables.TryGetNonEmpty(name, out var value))
        {
            return null;
        }

        switch (value.Value.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                return true;
            case "false" or "0" or "no" or "off":
                return false;
            default:
                diagnostics.Invalid(name, value, "must be true or false");
                return null;
        }
    }

    private static bool ReadLogFormat(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        if (!variables.TryGetNonEmpty(VariableCatalog.LogFormat, out var value))
        {
            return false;
        }

        switch (value.Value.Trim().ToLowerInvariant())
        {
            case "text":
                return false;
            case "json":
                return true;
            default:
                diagnostics.Invalid(VariableCatalog.LogFormat, value, "must be text or json");
                return false;
        }
    }

    private static LogLevel ReadLogLevel(LayeredVariables variables, ConfigDiagnostics diagnostics)
    {
        if (!variables.TryGetNonEmpty(VariableCatalog.LogLevel, out var value))
        {
            return LogLevel.Information;
        }

        // The original's Python names, then .NET's; only the first word counts, as in the original ("INFO # note").
        var word = value.Value.Trim().Split(' ', 2)[0];
        LogLevel? level = word.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" or "INFORMATION" => LogLevel.Information,
            "WARNING" or "WARN" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "CRITICAL" or "FATAL" => LogLevel.Critical,
            "NONE" => LogLevel.None,
            _ => null,
        };
        if (level is null)
        {
            diagnostics.Invalid(VariableCatalog.LogLevel, value, "must be DEBUG, INFO, WARNING, ERROR or CRITICAL (or TRACE, NONE)");
        }

        return level ?? LogLevel.Information;
    }

    internal static int? ReadInt(LayeredVariables variables, ConfigDiagnostics diagnostics, string name, int min, int max)
    {
        if (!variables.TryGetNonEmpty(name, out var value))
        {
            return null;
        }

        if (int.TryParse(value.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max)
        {
            return number;
        }

        diagnostics.Invalid(name, value, max == int.MaxValue
            ? $"must be a whole number of at least {min}"
            : $"must be a whole number from {min} to {max}");
        return null;
    }

    private static TimeSpan? ReadSeconds(LayeredVariables variables, ConfigDiagnostics diagnostics, string name)
    {
        if (!variables.TryGetNonEmpty(name, out var value))
        {
            return null;
        }

        if (double.TryParse(value.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds > 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        diagnostics.Invalid(name, value, "must be a number of seconds above 0 and at most 86400");
        return null;
    }
}
