using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

public class ConfigSetupCommandTests
{
    // openai (built-in URL, two keys), my_llm (own URL, anthropic format, no key), default, two aliases, proxy key, port.
    private const string FullSession =
        "openai my_llm\n" +
        "\n" +
        "sk-one, sk-two\n" +
        "http://gpu-box:8000/v1\n" +
        "anthropic\n" +
        "\n" +
        "\n" +
        "haiku=openai:gpt-4o-mini\n" +
        "smart=my_llm:qwen, openai:gpt-4o\n" +
        "\n" +
        "hunter2'#$x\n" +
        "\n" +
        "9000\n";

    private const string FullSessionFile = """
        # vdm configuration, written by `vdm config setup` on 2026-03-14.
        # `vdm config show` explains each value and where it comes from; `vdm config validate` checks them.
        # It holds API keys: keep it private.

        # openai: a built-in provider (https://api.openai.com/v1)
        OPENAI_API_KEY='sk-one sk-two'

        # my_llm: your own anthropic-format provider
        MY_LLM_API_KEY=
        MY_LLM_BASE_URL=http://gpu-box:8000/v1
        MY_LLM_API_FORMAT=anthropic

        # Routing: the provider for model names without a provider: prefix, and aliases
        VDM_DEFAULT_PROVIDER=openai
        VDM_ALIAS_HAIKU=openai:gpt-4o-mini
        VDM_ALIAS_SMART='my_llm:qwen, openai:gpt-4o'

        # Server
        PROXY_API_KEY="hunter2'#\$x"
        PORT=9000

        """;

    // openai with one key; everything else left to its default.
    private const string MinimalSession = "openai\n\nsk-min\n\n\n\n\n";

    [Test]
    public async Task Setup_PipedSession_WritesExactlyTheExpectedFile()
    {
        using var cli = new CliRun { Time = new FixedClock() };

        var exitCode = await cli.RunAsync(["config", "setup"], FullSession);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"))).IsEqualTo(FullSessionFile);
    }

    [Test]
    public async Task Setup_PipedSession_PrintsWhatWasWrittenWithKeysAsFingerprints()
    {
        using var cli = new CliRun { Time = new FixedClock() };

        await cli.RunAsync(["config", "setup"], FullSession);

        await Assert.That(cli.Output.ToString()).IsEqualTo($"""
            wrote ./.env:
            VARIABLE              VALUE
            OPENAI_API_KEY        {KeyFingerprint.Of("sk-one")} {KeyFingerprint.Of("sk-two")}
            MY_LLM_API_KEY        (empty)
            MY_LLM_BASE_URL       http://gpu-box:8000/v1
            MY_LLM_API_FORMAT     anthropic
            VDM_DEFAULT_PROVIDER  openai
            VDM_ALIAS_HAIKU       openai:gpt-4o-mini
            VDM_ALIAS_SMART       my_llm:qwen, openai:gpt-4o
            PROXY_API_KEY         {KeyFingerprint.Of("hunter2'#$x")}
            PORT                  9000
            next: `vdm server start` runs the gateway; `vdm config show` shows each value and where it comes from

            """);
    }

    [Test]
    public async Task Setup_PipedSession_TranscriptOnStderrEchoesAnswers()
    {
        using var cli = new CliRun { Time = new FixedClock() };

        await cli.RunAsync(["config", "setup"], FullSession);

        await Assert.That(cli.Error.ToString()).IsEqualTo($"""
            vdm config setup writes ./.env. Enter takes the value in [brackets]; answers may be piped, one a line.
            Providers known by name: anthropic cerebras deepseek fireworks gemini groq lmstudio mistral ollama openai openrouter poe together xai
            Providers to use, separated by spaces (any other name adds a provider of your own): openai my_llm
            openai base URL [https://api.openai.com/v1]: 
            openai API key (several separated by spaces; !PASSTHRU forwards each client's own): {KeyFingerprint.Of("sk-one")} {KeyFingerprint.Of("sk-two")}
            my_llm base URL, the API root such as https://api.example.com/v1: http://gpu-box:8000/v1
            my_llm API format: openai (vdm converts to Chat Completions) or anthropic (passed through) [openai]: anthropic
            my_llm API key (several separated by spaces; !PASSTHRU forwards each client's own; empty for none): (none)
            Default provider, for model names without a provider: prefix (openai, my_llm) [openai]: 
            Aliases name models for clients: haiku=openai:gpt-4o-mini sends every model whose name contains "haiku" there (Claude Code asks for haiku, sonnet and opus models).
            Alias NAME=provider:model (empty when done): haiku=openai:gpt-4o-mini
            Alias NAME=provider:model (empty when done): smart=my_llm:qwen, openai:gpt-4o
            Alias NAME=provider:model (empty when done): 
            Key clients must send to use vdm, PROXY_API_KEY (empty for none): {KeyFingerprint.Of("hunter2'#$x")}
            Address to listen on, HOST (0.0.0.0 lets other machines in) [127.0.0.1]: 
            Port to listen on, PORT [8082]: 9000

            """);
    }

    [Test]
    public async Task Setup_WrittenFile_PassesConfigValidate()
    {
        using var cli = new CliRun();
        await cli.RunAsync(["config", "setup"], FullSession);
        cli.Output.GetStringBuilder().Clear();

        var exitCode = await cli.RunAsync(["config", "validate"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).IsEqualTo("configuration is valid: my_llm, openai; default provider: openai\n");
    }

    [Test]
    public async Task Setup_Keys_NeverAppearInOutput()
    {
        using var cli = new CliRun();

        await cli.RunAsync(["config", "setup"], FullSession);
        var printed = cli.Output.ToString() + cli.Error.ToString();

        await Assert.That(printed).DoesNotContain("sk-one");
        await Assert.That(printed).DoesNotContain("sk-two");
        await Assert.That(printed).DoesNotContain("hunter2");
    }

    [Test]
    public async Task Setup_MinimalSession_WritesTheKeyAndTheDefaultProviderOnly()
    {
        using var cli = new CliRun { Time = new FixedClock() };

        var exitCode = await cli.RunAsync(["config", "setup"], MinimalSession);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"))).EndsWith("""

            # openai: a built-in provider (https://api.openai.com/v1)
            OPENAI_API_KEY=sk-min

            # Routing: the provider for model names without a provider: prefix, and aliases
            VDM_DEFAULT_PROVIDER=openai

            """);
    }

    [Test]
    public async Task Setup_ExistingFile_AnsweredNo_IsKeptAndExitsOne()
    {
        using var cli = new CliRun();
        cli.WriteFile(".env", "POE_API_KEY=old\n");

        var exitCode = await cli.RunAsync(["config", "setup"], "n\n" + MinimalSession);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"))).IsEqualTo("POE_API_KEY=old\n");
        await Assert.That(cli.Error.ToString()).Contains("./.env exists. Replace it? [y/N]: n\n");
        await Assert.That(cli.Error.ToString()).EndsWith("vdm: ./.env kept as it was; nothing written\n");
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
    }

    [Test]
    [Arguments("")]
    [Arguments("\n")]
    public async Task Setup_ExistingFile_NoAnswerOrEnter_IsKept(string input)
    {
        using var cli = new CliRun();
        cli.WriteFile(".env", "POE_API_KEY=old\n");

        var exitCode = await cli.RunAsync(["config", "setup"], input);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"))).IsEqualTo("POE_API_KEY=old\n");
    }

    [Test]
    public async Task Setup_ExistingFile_AnsweredYes_IsReplaced()
    {
        using var cli = new CliRun();
        cli.WriteFile(".env", "POE_API_KEY=old\n");

        var exitCode = await cli.RunAsync(["config", "setup"], "maybe\nyes\n" + MinimalSession);
        var written = DotEnvFile.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env")), ".env").Values;

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Error.ToString()).Contains("[y/N]: maybe\n  answer y or n\n./.env exists. Replace it? [y/N]: yes\n");
        await Assert.That(written.Keys.Order(StringComparer.Ordinal)).IsEquivalentTo(["OPENAI_API_KEY", "VDM_DEFAULT_PROVIDER"]);
        await Assert.That(Directory.GetFiles(cli.WorkingDirectory)).IsEquivalentTo([Path.Combine(cli.WorkingDirectory, ".env")]);
    }

    [Test]
    public async Task Setup_InvalidAnswers_AreExplainedAndAskedAgain()
    {
        using var cli = new CliRun();
        var input =
            "open-ai\n" + "proxy\n" + "openai my_llm\n" +
            "ftp://api.openai.com\n" + "\n" +
            "\n" + "!PASSTHRU sk-1\n" + "!oops\n" + "sk-1\n" +
            "\n" + "https://llm.example.com/v1?x=1\n" + "https://llm.example.com/v1\n" +
            "grpc\n" + "OpenAI\n" +
            "\n" + "!passthru\n" +
            "groq\n" + "my_llm\n" +
            "haiku\n" + "haiku=groq:llama\n" + "haiku=openai:gpt-4o-mini\n" + "HAIKU=openai:gpt-4o\n" + "\n" +
            "\n" + "myhost\n" + "\n" + "70000\n" + "\n";

        var exitCode = await cli.RunAsync(["config", "setup"], input);
        var transcript = cli.Error.ToString();
        var written = DotEnvFile.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env")), ".env").Values;

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(transcript).Contains("  'open-ai': a provider name is letters, digits and _, starting with a letter (such as my_llm)\n");
        await Assert.That(transcript).Contains("  'proxy' cannot name a provider: PROXY_API_KEY means something else to vdm\n");
        await Assert.That(transcript).Contains("  OPENAI_BASE_URL=ftp://api.openai.com (answer): must be an absolute http:// or https:// URL");
        await Assert.That(transcript).Contains("  openai needs a key at https://api.openai.com/v1 (or !PASSTHRU to forward each client's own)\n");
        await Assert.That(transcript).Contains("  OPENAI_API_KEY (answer): !PASSTHRU cannot be mixed with static keys");
        await Assert.That(transcript).Contains("  OPENAI_API_KEY (answer): a value starting with '!' must be the sentinel !PASSTHRU\n");
        await Assert.That(transcript).Contains("  'my_llm' is not a built-in provider, so vdm needs its URL\n");
        await Assert.That(transcript).Contains("  MY_LLM_BASE_URL=https://llm.example.com/v1?x=1 (answer): must be an absolute");
        await Assert.That(transcript).Contains("  MY_LLM_API_FORMAT=grpc (answer): must be openai or anthropic\n");
        await Assert.That(transcript).Contains("  my_llm needs a key at https://llm.example.com/v1");
        await Assert.That(transcript).Contains("  choose one of openai, my_llm\n");
        await Assert.That(transcript).Contains("  write NAME=provider:model, such as haiku=openai:gpt-4o-mini\n");
        await Assert.That(transcript).Contains("  VDM_ALIAS_HAIKU=groq:llama: provider 'groq' is not configured");
        await Assert.That(transcript).Contains("  'HAIKU' is already an alias (case, - and _ do not matter in alias names)\n");
        await Assert.That(transcript).Contains("  HOST=myhost (answer): must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost\n");
        await Assert.That(transcript).Contains("  PORT=70000 (answer): must be a whole number from 0 to 65535\n");
        await Assert.That(transcript).DoesNotContain("!oops");
        await Assert.That(written["OPENAI_API_KEY"]).IsEqualTo("sk-1");
        await Assert.That(written["MY_LLM_BASE_URL"]).IsEqualTo("https://llm.example.com/v1");
        await Assert.That(written["MY_LLM_API_FORMAT"]).IsEqualTo("openai");
        await Assert.That(written["MY_LLM_API_KEY"]).IsEqualTo("!PASSTHRU");
        await Assert.That(written["VDM_DEFAULT_PROVIDER"]).IsEqualTo("my_llm");
        await Assert.That(written["VDM_ALIAS_HAIKU"]).IsEqualTo("openai:gpt-4o-mini");
        await Assert.That(written.ContainsKey("HOST")).IsFalse();
        await Assert.That(written.ContainsKey("PORT")).IsFalse();
    }

    [Test]
    [Arguments("", "Providers to use, separated by spaces (any other name adds a provider of your own)")]
    [Arguments("openai\n", "openai base URL")]
    [Arguments("openai\n\n", "openai API key (several separated by spaces; !PASSTHRU forwards each client's own)")]
    [Arguments("openai\n\n\n", "openai API key (several separated by spaces; !PASSTHRU forwards each client's own)")]
    [Arguments("openai my_llm\n\nsk-1\n", "my_llm base URL, the API root such as https://api.example.com/v1")]
    [Arguments("openai my_llm\n\nsk-1\nhttp://localhost:9000/v1\n\n\n", "Default provider, for model names without a provider: prefix (openai, my_llm)")]
    public async Task Setup_InputEndsBeforeTheRequiredAnswers_ExitsTwoAndWritesNothing(string input, string unanswered)
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup"], input);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).EndsWith($"vdm: the input ended before an answer to \"{unanswered}\"; nothing written\n");
        await Assert.That(Directory.GetFiles(cli.WorkingDirectory)).IsEmpty();
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
    }

    [Test]
    public async Task Setup_InputEndsAmongTheOptionalAnswers_TheRestTakeTheirDefaults()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup"], "ollama\n\n\nlocal=ollama:qwen2.5:7b\n");
        var written = DotEnvFile.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env")), ".env").Values;

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Error.ToString()).Contains("(the input ended: the questions left take their defaults)\n");
        await Assert.That(cli.Error.ToString()).DoesNotContain("PROXY_API_KEY");
        await Assert.That(written).IsEquivalentTo(new Dictionary<string, string>
        {
            ["OLLAMA_API_KEY"] = "",
            ["VDM_DEFAULT_PROVIDER"] = "ollama",
            ["VDM_ALIAS_LOCAL"] = "ollama:qwen2.5:7b",
        });
    }

    [Test]
    public async Task Setup_UnknownProvider_NeedsABaseUrlAndKeepsIt()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup"], "corp\n\n\nhttps://llm.corp.example/v1/\n\nck-1\n");
        var written = DotEnvFile.Parse(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env")), ".env").Values;

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Error.ToString()).Contains(
            "corp base URL, the API root such as https://api.example.com/v1: \n  'corp' is not a built-in provider, so vdm needs its URL\n" +
            "corp base URL, the API root such as https://api.example.com/v1: \n  'corp' is not a built-in provider, so vdm needs its URL\n");
        await Assert.That(written["CORP_BASE_URL"]).IsEqualTo("https://llm.corp.example/v1/");
        await Assert.That(written["CORP_API_FORMAT"]).IsEqualTo("openai");
        await Assert.That(written["CORP_API_KEY"]).IsEqualTo("ck-1");
    }

    [Test]
    [Arguments("vdm", "  VDM_API_KEY (answer): 'vdm' is reserved and cannot name a provider; to require a key from clients use PROXY_API_KEY\n")]
    [Arguments("custom_header_x", "  'custom_header_x' cannot name a provider: CUSTOM_HEADER_X_API_KEY means something else to vdm\n")]
    [Arguments("poe_alias_x", "  'poe_alias_x' cannot name a provider: POE_ALIAS_X_API_KEY means something else to vdm\n")]
    public async Task Setup_NameTheLoaderWouldNotTakeAsAProvider_IsAskedAgain(string name, string problem)
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup"], name + "\n");

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains($"provider of your own): {name}\n{problem}Providers to use");
    }

    [Test]
    public async Task Setup_BuiltInProviderAtAnotherUrl_WritesTheUrl()
    {
        using var cli = new CliRun();

        await cli.RunAsync(["config", "setup"], "anthropic\nhttps://gw.example.com/anthropic\n!PASSTHRU\n");
        var text = File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"));

        await Assert.That(text).Contains("""

            # anthropic: a built-in provider, at your URL
            ANTHROPIC_API_KEY=!PASSTHRU
            ANTHROPIC_BASE_URL=https://gw.example.com/anthropic

            """);
    }

    [Test]
    public async Task Setup_BaseUrlThatWouldReachVdmItself_IsAskedAgainWhenThePortMatches()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup"], "mine\nhttp://127.0.0.1:9000/v1\n\n\n\n\n\n9000\n9001\n");

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Error.ToString()).Contains(
            "Port to listen on, PORT [8082]: 9000\n  MINE_BASE_URL=http://127.0.0.1:9000/v1 (answer): points at vdm itself");
        await Assert.That(File.ReadAllText(Path.Combine(cli.WorkingDirectory, ".env"))).EndsWith("# Server\nPORT=9001\n");
    }

    [Test]
    public async Task Setup_File_IsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var cli = new CliRun();

        await cli.RunAsync(["config", "setup"], MinimalSession);

        await Assert.That(File.GetUnixFileMode(Path.Combine(cli.WorkingDirectory, ".env"))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public async Task Setup_VariableAlsoExported_WarnsThatTheEnvironmentWins()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-env"), ("PORT", ""));

        await cli.RunAsync(["config", "setup"], "openai\n\nsk-file\n\n\n\n9000\n");

        await Assert.That(cli.Error.ToString()).Contains("vdm: warning: OPENAI_API_KEY is also set in the environment, which takes precedence over ./.env\n");
        await Assert.That(cli.Error.ToString()).DoesNotContain("warning: PORT");
        await Assert.That(cli.Error.ToString()).DoesNotContain("sk-env");
    }

    [Test]
    public async Task Setup_EnvFileOption_WritesThatFileAndNamesItInTheNextSteps()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["config", "setup", "--env-file", "prod.env"], MinimalSession);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(File.Exists(Path.Combine(cli.WorkingDirectory, "prod.env"))).IsTrue();
        await Assert.That(File.Exists(Path.Combine(cli.WorkingDirectory, ".env"))).IsFalse();
        await Assert.That(cli.Output.ToString()).StartsWith("wrote prod.env:\n");
        await Assert.That(cli.Output.ToString()).Contains("`vdm server start --env-file prod.env`");
    }

    /// <summary>A clock stopped at 2026-03-14 10:00 UTC, in a UTC local time zone, so the file's date is fixed.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public override DateTimeOffset GetUtcNow() => new(2026, 3, 14, 10, 0, 0, TimeSpan.Zero);
    }
}
