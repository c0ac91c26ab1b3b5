using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class ConfigurationSourcesTests
{
    private static readonly Dictionary<string, string> NoFlags = new(StringComparer.Ordinal);

    /// <summary>A throw-away working directory and home directory under the system temp directory.</summary>
    private sealed class TempDirectories : IDisposable
    {
        public TempDirectories()
        {
            Root = Path.Combine(Path.GetTempPath(), "vdm-config-tests-" + Guid.NewGuid().ToString("N"));
            Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
            Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        }

        public string Root { get; }

        public string Work { get; }

        public string Home { get; }

        public string ProjectFile => Path.Combine(Work, ".env");

        public string UserFile => Path.Combine(Home, ".config", "vdm", ".env");

        public ConfigEnvironment Environment(params (string Name, string Value)[] variables) =>
            new(Dictionary(variables), Work, Home);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }

    private static Dictionary<string, string> Dictionary(params (string Name, string Value)[] values) =>
        values.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string Describe(LayeredVariables variables, string name) =>
        variables.TryGet(name, out var value) ? $"{value.Value} ({value.Source.Label})" : "unset";

    [Test]
    public async Task Read_EveryLayer_HighestPrecedenceWinsPerVariable()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "PORT=1003\nLOG_LEVEL=ERROR\nHOST=10.0.0.3\n");
        Write(dirs.UserFile, "PORT=1004\nLOG_LEVEL=CRITICAL\nHOST=10.0.0.4\nREQUEST_TIMEOUT=44\n");
        var environment = dirs.Environment(("PORT", "1002"), ("LOG_LEVEL", "WARNING"));

        var result = ConfigurationSources.Read(environment, envFile: null, Dictionary(("PORT", "1001")));

        await Assert.That(result.Errors.Count).IsEqualTo(0);
        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("1001 (flag)");
        await Assert.That(Describe(result.Variables, "LOG_LEVEL")).IsEqualTo("WARNING (env)");
        await Assert.That(Describe(result.Variables, "HOST")).IsEqualTo("10.0.0.3 (./.env)");
        await Assert.That(Describe(result.Variables, "REQUEST_TIMEOUT")).IsEqualTo("44 (~/.config/vdm/.env)");
        await Assert.That(Describe(result.Variables, "MAX_RETRIES")).IsEqualTo("2 (default)");
        await Assert.That(Describe(result.Variables, "MAX_TOKENS_LIMIT")).IsEqualTo("unset");
    }

    [Test]
    public async Task Read_EveryLayer_LoadsIntoSettingsWithTheWinningValues()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "PORT=1003\nLOG_LEVEL=ERROR\nHOST=10.0.0.3\n");
        Write(dirs.UserFile, "PORT=1004\nHOST=10.0.0.4\nREQUEST_TIMEOUT=44\n");
        var environment = dirs.Environment(("LOG_LEVEL", "WARNING"));

        var sources = ConfigurationSources.Read(environment, envFile: null, Dictionary(("PORT", "1001")));
        var settings = SettingsLoader.Load(sources.Variables).Settings!;

        await Assert.That(settings.Port).IsEqualTo(1001);
        await Assert.That(settings.LogLevel).IsEqualTo(Microsoft.Extensions.Logging.LogLevel.Warning);
        await Assert.That(settings.Host).IsEqualTo("10.0.0.3");
        await Assert.That(settings.RequestTimeout).IsEqualTo(TimeSpan.FromSeconds(44));
        await Assert.That(settings.MaxRetries).IsEqualTo(2);
    }

    [Test]
    public async Task Read_KeyInUserFileAndBaseUrlInProjectFile_AreBothUsed()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "MYLLM_BASE_URL=https://llm.example.com/v1\n");
        Write(dirs.UserFile, "MYLLM_API_KEY=user-key\n");

        var sources = ConfigurationSources.Read(dirs.Environment(), envFile: null, NoFlags);
        var provider = SettingsLoader.Load(sources.Variables).Settings!.FindProvider("myllm")!;

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo("https://llm.example.com/v1");
        await Assert.That(provider.Keys).IsEquivalentTo(["user-key"]);
    }

    [Test]
    public async Task Read_EnvironmentKey_WinsOverTheUserFileKey()
    {
        using var dirs = new TempDirectories();
        Write(dirs.UserFile, "OPENAI_API_KEY=user-key\n");

        var sources = ConfigurationSources.Read(dirs.Environment(("OPENAI_API_KEY", "env-key")), envFile: null, NoFlags);
        var provider = SettingsLoader.Load(sources.Variables).Settings!.FindProvider("openai")!;

        await Assert.That(provider.Keys).IsEquivalentTo(["env-key"]);
    }

    [Test]
    public async Task Read_AllLayersPresent_AreLabelledInPrecedenceOrder()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "A=1\n");
        Write(dirs.UserFile, "B=2\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: null, NoFlags);

        await Assert.That(string.Join(" | ", result.Variables.Layers.Select(layer => $"{layer.Kind}:{layer.Label}")))
            .IsEqualTo("Flag:flag | Environment:env | ProjectFile:./.env | UserFile:~/.config/vdm/.env | Default:default");
    }

    [Test]
    public async Task Read_NoFiles_HasFlagEnvironmentAndDefaultLayersOnly()
    {
        using var dirs = new TempDirectories();

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: null, NoFlags);

        await Assert.That(result.Errors.Count).IsEqualTo(0);
        await Assert.That(string.Join(" | ", result.Variables.Layers.Select(layer => layer.Label))).IsEqualTo("flag | env | default");
    }

    [Test]
    public async Task Read_NoHomeDirectory_ReadsNoUserFile()
    {
        using var dirs = new TempDirectories();
        Write(dirs.UserFile, "PORT=1004\n");
        var environment = new ConfigEnvironment(Dictionary(), dirs.Work, HomeDirectory: null);

        var result = ConfigurationSources.Read(environment, envFile: null, NoFlags);

        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("8082 (default)");
    }

    [Test]
    public async Task Read_EnvFileRelativeToWorkingDirectory_ReplacesTheProjectFile()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "PORT=1003\nHOST=10.0.0.3\n");
        Write(Path.Combine(dirs.Work, "config", "staging.env"), "HOST=10.0.0.9\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: "config/staging.env", NoFlags);

        await Assert.That(result.Errors.Count).IsEqualTo(0);
        await Assert.That(Describe(result.Variables, "HOST")).IsEqualTo("10.0.0.9 (config/staging.env)");
        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("8082 (default)");
    }

    [Test]
    public async Task Read_EnvFileWithAbsolutePath_IsReadAsTheProjectLayer()
    {
        using var dirs = new TempDirectories();
        var path = Path.Combine(dirs.Root, "elsewhere.env");
        Write(path, "PORT=1005\n");
        Write(dirs.UserFile, "PORT=1004\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: path, NoFlags);

        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo($"1005 ({path})");
        await Assert.That(result.Variables.Layers.Single(layer => layer.Kind == ConfigSourceKind.ProjectFile).Label).IsEqualTo(path);
    }

    [Test]
    public async Task Read_MissingEnvFile_IsAnErrorAndTheProjectFileIsStillIgnored()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "PORT=1003\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: "missing.env", NoFlags);

        await Assert.That(result.Errors).IsEquivalentTo(["--env-file missing.env: no such file"]);
        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("8082 (default)");
    }

    [Test]
    public async Task Read_XdgConfigHomeFromTheVariables_ChoosesTheUserFile()
    {
        using var dirs = new TempDirectories();
        var xdg = Path.Combine(dirs.Root, "xdg");
        Write(Path.Combine(xdg, "vdm", ".env"), "PORT=2001\n");
        Write(dirs.UserFile, "PORT=1004\nHOST=10.0.0.4\n");

        var result = ConfigurationSources.Read(dirs.Environment(("XDG_CONFIG_HOME", xdg)), envFile: null, NoFlags);

        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo($"2001 ({Path.Combine(xdg, "vdm", ".env")})");
        await Assert.That(Describe(result.Variables, "HOST")).IsEqualTo("127.0.0.1 (default)");
    }

    [Test]
    public async Task Read_XdgConfigHomeUnderTheHomeDirectory_IsLabelledWithATilde()
    {
        using var dirs = new TempDirectories();
        var xdg = Path.Combine(dirs.Home, ".xdg");
        Write(Path.Combine(xdg, "vdm", ".env"), "PORT=2002\n");

        var result = ConfigurationSources.Read(dirs.Environment(("XDG_CONFIG_HOME", xdg)), envFile: null, NoFlags);

        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("2002 (~/.xdg/vdm/.env)");
    }

    [Test]
    public async Task Read_RelativeXdgConfigHome_IsIgnored()
    {
        using var dirs = new TempDirectories();
        Write(Path.Combine(dirs.Work, "rel", "vdm", ".env"), "PORT=2003\n");
        Write(dirs.UserFile, "PORT=1004\n");

        var result = ConfigurationSources.Read(dirs.Environment(("XDG_CONFIG_HOME", "rel")), envFile: null, NoFlags);

        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("1004 (~/.config/vdm/.env)");
    }

    [Test]
    public async Task Read_ProblemsInTheProjectFile_AreReportedWithItsLabel()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "PORT=1003\njust words\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: null, NoFlags);

        await Assert.That(result.Errors).IsEquivalentTo(["./.env:2: expected NAME=VALUE"]);
        await Assert.That(Describe(result.Variables, "PORT")).IsEqualTo("1003 (./.env)");
    }

    [Test]
    public async Task Read_ProblemsInTheUserFileAndEnvFile_AreAllReportedWithTheirLabels()
    {
        using var dirs = new TempDirectories();
        Write(Path.Combine(dirs.Work, "my.env"), "OPENAI_API_KEY=\"sk-unterminated\n");
        Write(dirs.UserFile, "1BAD=x\n");

        var result = ConfigurationSources.Read(dirs.Environment(), envFile: "my.env", NoFlags);

        await Assert.That(result.Errors.Count).IsEqualTo(2);
        await Assert.That(result.Errors[0]).IsEqualTo("my.env:1: OPENAI_API_KEY: missing closing \" quote");
        await Assert.That(result.Errors[1]).StartsWith("~/.config/vdm/.env:1: '1BAD' is not a valid variable name");
        await Assert.That(string.Join("\n", result.Errors)).DoesNotContain("sk-unterminated");
    }

    [Test]
    public async Task Read_EmptyValueInProjectFile_HidesTheUserFileValue()
    {
        using var dirs = new TempDirectories();
        Write(dirs.ProjectFile, "OLLAMA_API_KEY=\n");
        Write(dirs.UserFile, "OLLAMA_API_KEY=user-key\n");

        var sources = ConfigurationSources.Read(dirs.Environment(), envFile: null, NoFlags);
        var provider = SettingsLoader.Load(sources.Variables).Settings!.FindProvider("ollama")!;

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.None);
    }

    [Test]
    public async Task Read_ProcessEnvironmentIsNotConsulted_OnlyTheGivenVariables()
    {
        using var dirs = new TempDirectories();

        var result = ConfigurationSources.Read(dirs.Environment(("VDM_TEST_ONLY", "1")), envFile: null, NoFlags);

        await Assert.That(result.Variables.Layers.Single(layer => layer.Kind == ConfigSourceKind.Environment).Values.Keys)
            .IsEquivalentTo(["VDM_TEST_ONLY"]);
    }
}
