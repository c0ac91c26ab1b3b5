using Vdm.Gateway;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Endpoints;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

/// <summary>Re-reading a real <c>./.env</c> in a temporary directory: what is applied, what is refused, what is logged.</summary>
public class ConfigReloaderTests
{
    private const string Start = "OPENAI_API_KEY=sk-first-secret\nPOE_API_KEY=poe-secret\nVDM_DEFAULT_PROVIDER=openai\nVDM_ALIAS_FAST=openai:gpt-4o-mini\n";

    [Test]
    public async Task Reload_AliasChanged_SwapsTheStateAndLogsTheNameOnly()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Write(Start.Replace("openai:gpt-4o-mini", "poe:gemini-flash", StringComparison.Ordinal));
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(fixture.Holder.Current).IsNotSameReferenceAs(before);
        await Assert.That(fixture.Holder.Current.Router.TryResolve("fast", out var route, out _)).IsTrue();
        await Assert.That($"{route.Provider.Name}:{route.Model}").IsEqualTo("poe:gemini-flash");
        await Assert.That(before.Router.TryResolve("fast", out var old, out _)).IsTrue();
        await Assert.That(old.Provider.Name).IsEqualTo("openai");
        await Assert.That(fixture.Logs.ToString().Trim()).IsEqualTo(
            "info: Vdm.Gateway.Configuration.ConfigReloader[40] configuration reloaded from ./.env: VDM_ALIAS_FAST changed; providers: openai, poe");
    }

    [Test]
    public async Task Reload_KeyChanged_NamesTheVariableButNeverAValue()
    {
        using var fixture = new Fixture(Start);

        fixture.Write(Start.Replace("sk-first-secret", "sk-second-secret", StringComparison.Ordinal));
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(fixture.Holder.Current.KeyRing("openai")!.KeyAt(0)).IsEqualTo("sk-second-secret");
        await Assert.That(fixture.Logs.ToString()).Contains("OPENAI_API_KEY changed");
        await Assert.That(fixture.Logs.ToString()).DoesNotContain("secret");
    }

    [Test]
    public async Task Reload_InvalidValues_LogsEveryProblemAndKeepsTheRunningState()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Write(Start + "PORT=abc\nOPENAI_API_FORMAT=grpc\nVDM_ALIAS_FAST=openai:\n");
        var outcome = fixture.Reloader.Reload();
        var lines = fixture.Logs.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Rejected);
        await Assert.That(fixture.Holder.Current).IsSameReferenceAs(before);
        await Assert.That(lines.Length).IsEqualTo(outcome.Errors.Count);
        await Assert.That(lines.Length).IsGreaterThanOrEqualTo(2);
        await Assert.That(lines).Contains(line => line.StartsWith("warn: ", StringComparison.Ordinal)
            && line.Contains("configuration in ./.env not applied, the running one is kept: PORT=abc (./.env): must be a whole number", StringComparison.Ordinal));
        await Assert.That(lines).Contains(line => line.Contains("OPENAI_API_FORMAT=grpc (./.env)", StringComparison.Ordinal));
        await Assert.That(fixture.Logs.ToString()).DoesNotContain("secret");
    }

    [Test]
    public async Task Reload_BadAliasTarget_IsRefused()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Write(Start.Replace("openai:gpt-4o-mini", "poe:", StringComparison.Ordinal));
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Rejected);
        await Assert.That(fixture.Holder.Current).IsSameReferenceAs(before);
        await Assert.That(fixture.Logs.ToString()).Contains("VDM_ALIAS_FAST=poe:: 'poe:' names a provider but no model");
    }

    [Test]
    public async Task Reload_AfterARefusal_ComparesWithWhatRuns()
    {
        using var fixture = new Fixture(Start);
        fixture.Write(Start + "PORT=abc\nMAX_RETRIES=5\n");
        fixture.Reloader.Reload();

        fixture.Write(Start + "MAX_RETRIES=5\n");
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(outcome.Changes!.Changed).IsEquivalentTo(["MAX_RETRIES"]);
        await Assert.That(fixture.Holder.Current.Settings.MaxRetries).IsEqualTo(5);
    }

    [Test]
    public async Task Reload_PortOnly_SaysItNeedsARestartAndKeepsTheState()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Write(Start + "PORT=9000\n");
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.RestartNeeded);
        await Assert.That(fixture.Holder.Current).IsSameReferenceAs(before);
        await Assert.That(fixture.Logs.ToString()).Contains(
            "warn: Vdm.Gateway.Configuration.ConfigReloader[42] configuration in ./.env changed: restart needed for PORT (running values kept); nothing else changed");
    }

    [Test]
    public async Task Reload_RestartOnlyAndOtherChanges_AppliesTheOthersAndKeepsTheRunningValues()
    {
        using var fixture = new Fixture(Start);

        fixture.Write(Start + "PORT=9000\nLOG_LEVEL=DEBUG\nSHUTDOWN_TIMEOUT_SECONDS=30\nMAX_REQUEST_BYTES=2048\nHOST=0.0.0.0\nREQUEST_TIMEOUT=5\n");
        var outcome = fixture.Reloader.Reload();
        var settings = fixture.Holder.Current.Settings;

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(settings.RequestTimeout).IsEqualTo(TimeSpan.FromSeconds(5));
        await Assert.That((settings.Host, settings.Port, settings.LogLevel)).IsEqualTo(("127.0.0.1", 8082, Microsoft.Extensions.Logging.LogLevel.Information));
        await Assert.That((settings.ShutdownTimeout, settings.MaxRequestBytes)).IsEqualTo((TimeSpan.FromSeconds(8), 32L * 1024 * 1024));
        await Assert.That(fixture.Logs.ToString()).Contains(
            "warn: Vdm.Gateway.Configuration.ConfigReloader[41] configuration reloaded from ./.env: REQUEST_TIMEOUT changed; providers: openai, poe; " +
            "restart needed for HOST, LOG_LEVEL, MAX_REQUEST_BYTES, PORT, SHUTDOWN_TIMEOUT_SECONDS (running values kept)");
    }

    [Test]
    public async Task Reload_VariableTheEnvironmentSets_IsNotAppliedAndSaysWhy()
    {
        using var fixture = new Fixture(Start, ("OPENAI_API_KEY", "sk-from-env"));

        fixture.Write(Start.Replace("sk-first-secret", "sk-second-secret", StringComparison.Ordinal));
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Unchanged);
        await Assert.That(fixture.Logs.ToString().Trim()).IsEqualTo(
            "info: Vdm.Gateway.Configuration.ConfigReloader[43] configuration in ./.env changed, but no setting did; kept where another layer wins: OPENAI_API_KEY (env wins)");
    }

    [Test]
    public async Task Reload_SameContent_DoesNothingQuietly()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Write(Start);
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Unchanged);
        await Assert.That(fixture.Holder.Current).IsSameReferenceAs(before);
        await Assert.That(fixture.Logs.ToString()).IsEqualTo("");
    }

    [Test]
    public async Task Reload_FileRemoved_DropsItsProvidersAndSaysSo()
    {
        using var fixture = new Fixture(Start, ("GROQ_API_KEY", "gsk"));

        File.Delete(fixture.EnvPath);
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(fixture.Holder.Current.Settings.Providers.Select(provider => provider.Name)).IsEquivalentTo(["groq"]);
        await Assert.That(fixture.Logs.ToString()).Contains(
            "configuration reloaded from ./.env (removed): OPENAI_API_KEY, POE_API_KEY, VDM_ALIAS_FAST, VDM_DEFAULT_PROVIDER changed; providers: groq");
    }

    [Test]
    public async Task Reload_NewWarning_IsLoggedOnce()
    {
        using var fixture = new Fixture(Start);

        fixture.Write(Start.Replace("VDM_DEFAULT_PROVIDER=openai\n", "", StringComparison.Ordinal));
        fixture.Reloader.Reload();
        fixture.Write(Start.Replace("VDM_DEFAULT_PROVIDER=openai\n", "MAX_RETRIES=4\n", StringComparison.Ordinal));
        fixture.Reloader.Reload();

        var warnings = fixture.Logs.ToString().Split('\n').Count(line => line.Contains("VDM_DEFAULT_PROVIDER is not set", StringComparison.Ordinal));
        await Assert.That(warnings).IsEqualTo(1);
    }

    [Test]
    public async Task Reload_Applied_ForgetsTheProvidersModelLists()
    {
        using var fixture = new Fixture(Start);
        fixture.ModelLists.Set("openai", [new ModelEntry("openai:gpt-4o", "gpt-4o", 0, "openai")]);

        fixture.Write(Start.Replace("OPENAI_API_KEY=sk-first-secret\n", "", StringComparison.Ordinal).Replace("openai", "poe", StringComparison.Ordinal));
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(fixture.ModelLists.TryGet("openai", out _)).IsFalse();
    }

    [Test]
    public async Task Reload_UnchangedKeys_KeepTheirRingAndItsCooldowns()
    {
        using var fixture = new Fixture(Start);
        var openai = fixture.Holder.Current.KeyRing("openai");
        var poe = fixture.Holder.Current.KeyRing("poe");

        fixture.Write(Start.Replace("poe-secret", "poe-other", StringComparison.Ordinal));
        fixture.Reloader.Reload();

        await Assert.That(fixture.Holder.Current.KeyRing("openai")).IsSameReferenceAs(openai);
        await Assert.That(fixture.Holder.Current.KeyRing("poe")).IsNotSameReferenceAs(poe);
    }

    [Test]
    public async Task Reload_AfterBuildingTheStateFailedOnce_AppliesTheChangeOnTheNextReload()
    {
        using var fixture = new Fixture(Start);

        // A key cooldown over a day passes every loader check but makes the key ring throw: a stand-in for a certificate
        // file that became unreadable. Then the cause is gone and the unchanged file is saved (or touched) again.
        fixture.Adjust = loaded => loaded.Settings is { } settings ? loaded with { Settings = settings with { KeyCooldown = TimeSpan.FromDays(3) } } : loaded;
        fixture.Write(Start.Replace("openai:gpt-4o-mini", "openai:gpt-4o", StringComparison.Ordinal));
        var first = fixture.Reloader.Reload();
        fixture.Adjust = null;
        var second = fixture.Reloader.Reload();

        await Assert.That(first.Status).IsEqualTo(ReloadStatus.Rejected);
        await Assert.That(second.Status).IsEqualTo(ReloadStatus.Applied);
        await Assert.That(second.Changes!.Changed).IsEquivalentTo(["VDM_ALIAS_FAST"]);
        await Assert.That(fixture.Holder.Current.Router.TryResolve("fast", out var route, out _)).IsTrue();
        await Assert.That(route.Model).IsEqualTo("gpt-4o");
    }

    [Test]
    public async Task Reload_AfterDispose_DoesNothing()
    {
        using var fixture = new Fixture(Start);
        var before = fixture.Holder.Current;

        fixture.Reloader.Dispose();
        fixture.Write(Start + "MAX_RETRIES=7\n");
        var outcome = fixture.Reloader.Reload();

        await Assert.That(outcome.Status).IsEqualTo(ReloadStatus.Unchanged);
        await Assert.That(fixture.Holder.Current).IsSameReferenceAs(before);
    }

    /// <summary>A running configuration read from <c>./.env</c> in a temporary directory, with its reloader.</summary>
    private sealed class Fixture : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-reload-");
        private readonly WriterLoggerProvider _logging;

        public Fixture(string envText, params (string Name, string Value)[] environment)
        {
            Write(envText);
            var config = new ConfigEnvironment(environment.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal), _directory.FullName, null);
            var flags = new Dictionary<string, string>();
            var (variables, result) = GatewayConfiguration.Read(config, null, flags);
            var settings = result.Settings ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
            Holder = new GatewayStateHolder(new GatewayState(settings, TimeProvider.System));
            _logging = new WriterLoggerProvider(Logs);
            Reloader = new ConfigReloader(
                () =>
                {
                    var (read, loaded) = GatewayConfiguration.Read(config, null, flags);
                    return (read, Adjust is { } adjust ? adjust(loaded) : loaded);
                },
                variables, result.Warnings, Holder, ModelLists, _logging.CreateLogger("Vdm.Gateway.Configuration.ConfigReloader"));
        }

        /// <summary>Changes what each re-read yields, when set.</summary>
        public Func<SettingsLoadResult, SettingsLoadResult>? Adjust { get; set; }

        public string EnvPath => Path.Combine(_directory.FullName, ".env");

        public GatewayStateHolder Holder { get; }

        public ConfigReloader Reloader { get; }

        public ModelListCache ModelLists { get; } = new(TimeProvider.System);

        public LineSignalingWriter Logs { get; } = new();

        public void Write(string text) => File.WriteAllText(EnvPath, text);

        public void Dispose()
        {
            Reloader.Dispose();
            Holder.Dispose();
            Logs.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
