using System.Text.Json;

namespace Vdm.EndToEnd;

/// <summary>
/// The real Claude Code CLI (<see cref="ClaudeCodeInstallation"/>) through the published binary to an OpenAI-format
/// provider on loopback: <c>claude -p</c> asks for a file, the provider answers with a call to Claude Code's Write tool,
/// Claude Code writes the file and sends the result back, and the provider ends with a text Claude Code prints.
/// Skipped, saying why, only when Claude Code cannot be installed from npm.
/// </summary>
public class ClaudeCodeTests
{
    private const string OpenAIKey = "sk-e2e-claude-code-openai";
    private const string ClientKey = "sk-ant-e2e-claude-code-dummy";
    private const string CallId = "call_e2e_write_1";
    private const string FinalText = "DONE-VDM-E2E";
    private const string FileContent = "hello from vdm";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ClaudeTimeout = TimeSpan.FromSeconds(120);

    [Test]
    public async Task ClaudePrint_ProviderCallsWriteTool_FileWrittenToolResultSentBackFinalTextPrinted()
    {
        var claude = await ClaudeCodeInstallation.GetAsync();
        if (claude.Unavailable is { } reason)
        {
            Skip.Test($"CLAUDE CODE {claude.Version} COULD NOT BE INSTALLED, SO IT WAS NOT TESTED: {reason}");
        }

        var root = Directory.CreateTempSubdirectory("vdm-e2e-claude-code-").FullName;
        try
        {
            var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
            var temp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
            var file = Path.Combine(work, "hello.txt");
            await using var provider = await ScriptedOpenAIProvider.StartAsync(request => Answer(request, file));
            await using var vdm = VdmProcess.Start(["server", "start", "--port", "0"], VdmEnvironment(provider));
            var url = await vdm.WaitUntilListeningAsync(StartTimeout);

            var (exitCode, stdout, stderr) = await ClaudeCodeInstallation.RunAsync(
                claude.Executable!,
                ["-p", $"Create hello.txt containing: {FileContent}", "--model", "sonnet", "--permission-mode", "acceptEdits", "--output-format", "text"],
                work,
                ClaudeTimeout,
                ClaudeEnvironment(url, home, temp));

            var report = $"claude exited with {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}\nvdm:\n{vdm.Stderr}\nprovider got:\n{Summary(provider)}";
            await Assert.That(exitCode).IsEqualTo(0).Because(report);
            await Assert.That(File.Exists(file)).IsTrue().Because(report);
            await Assert.That(File.ReadAllText(file)).IsEqualTo(FileContent);
            await Assert.That(stdout).Contains(FinalText).Because(report);

            var received = provider.Received.ToList();
            await Assert.That(received.All(r => r.Path == "/v1/chat/completions")).IsTrue().Because(report);
            await Assert.That(received.All(r => r.Header("authorization") == $"Bearer {OpenAIKey}")).IsTrue();
            await Assert.That(received.Any(r => r.BodyText.Contains(ClientKey, StringComparison.Ordinal))).IsFalse();

            var main = received.Where(r => IsMainConversation(r.Json)).ToList();
            await Assert.That(main.Count).IsGreaterThanOrEqualTo(2).Because(report);
            await Assert.That(main.All(r => r.Json.GetProperty("model").GetString() == "gpt-main")).IsTrue().Because(report);
            await Assert.That(main.All(r => r.Json.GetProperty("stream").GetBoolean())).IsTrue().Because(report);

            var messages = main[^1].Json.GetProperty("messages").EnumerateArray().ToList();
            var call = messages.Single(m => m.GetProperty("role").GetString() == "assistant" && m.TryGetProperty("tool_calls", out _))
                .GetProperty("tool_calls").EnumerateArray().Single();
            await Assert.That(call.GetProperty("id").GetString()).IsEqualTo(CallId);
            await Assert.That(call.GetProperty("function").GetProperty("name").GetString()).IsEqualTo("Write");
            using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
            await Assert.That(arguments.RootElement.GetProperty("file_path").GetString()).IsEqualTo(file);
            var result = messages.Single(m => m.GetProperty("role").GetString() == "tool");
            await Assert.That(result.GetProperty("tool_call_id").GetString()).IsEqualTo(CallId);
            await Assert.That(result.GetProperty("content").GetString()).Contains("successfully").And.Contains(file);

            await Assert.That(vdm.Stderr).DoesNotContain(OpenAIKey);
            await Assert.That(vdm.Stderr).DoesNotContain(ClientKey);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless; failing the test over it would not be.
            }
        }
    }

    /// <summary>
    /// The main conversation (the request offering the Write tool) gets the call, then, once the call's result is in
    /// the messages, the final text. Anything else Claude Code asks on the side (a title, a quota check with
    /// <c>max_tokens</c> 1, the small model) gets a short text.
    /// </summary>
    private static ScriptedAnswer Answer(JsonElement request, string file)
    {
        if (!IsMainConversation(request))
        {
            return new ScriptedAnswer.Text("ok");
        }

        var answered = request.GetProperty("messages").EnumerateArray()
            .Any(m => m.GetProperty("role").GetString() == "tool" && m.TryGetProperty("tool_call_id", out var id) && id.GetString() == CallId);
        return answered
            ? new ScriptedAnswer.Text(FinalText)
            : new ScriptedAnswer.ToolCall(CallId, "Write", JsonSerializer.Serialize(new Dictionary<string, string> { ["file_path"] = file, ["content"] = FileContent }));
    }

    private static bool IsMainConversation(JsonElement request) =>
        request.TryGetProperty("tools", out var tools)
        && tools.EnumerateArray().Any(t => t.TryGetProperty("function", out var function) && function.GetProperty("name").GetString() == "Write");

    /// <summary>Claude Code's model names routed to the fake's: sonnet and opus to the main model, haiku to the small one.</summary>
    private static Dictionary<string, string> VdmEnvironment(ScriptedOpenAIProvider provider) => new()
    {
        ["OPENAI_API_KEY"] = OpenAIKey,
        ["OPENAI_BASE_URL"] = provider.BaseUrl,
        ["VDM_DEFAULT_PROVIDER"] = "openai",
        ["VDM_ALIAS_SONNET"] = "openai:gpt-main",
        ["VDM_ALIAS_OPUS"] = "openai:gpt-main",
        ["VDM_ALIAS_HAIKU"] = "openai:gpt-small",
        ["MAX_RETRIES"] = "0",
    };

    /// <summary>
    /// Claude Code with a dummy key, its own empty home and temporary directory (it leaves probe files there), and
    /// everything that would reach the internet turned off (telemetry, the auto-updater, error reports and other
    /// nonessential traffic); nothing else of the test run's environment but PATH, so a developer's own Claude Code
    /// settings never leak in.
    /// </summary>
    private static Dictionary<string, string> ClaudeEnvironment(Uri vdm, string home, string temp) => new()
    {
        ["HOME"] = home,
        ["TMPDIR"] = temp,
        ["ANTHROPIC_BASE_URL"] = vdm.GetLeftPart(UriPartial.Authority),
        ["ANTHROPIC_API_KEY"] = ClientKey,
        ["DISABLE_TELEMETRY"] = "1",
        ["DISABLE_AUTOUPDATER"] = "1",
        ["DISABLE_ERROR_REPORTING"] = "1",
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
    };

    private static string Summary(ScriptedOpenAIProvider provider) => string.Join('\n', provider.Received.Select(r =>
    {
        if (r.Body.Length == 0)
        {
            return $"{r.Method} {r.Path}";
        }

        var json = r.Json;
        var roles = json.TryGetProperty("messages", out var messages) ? string.Join(',', messages.EnumerateArray().Select(m => m.GetProperty("role").GetString())) : "";
        return $"{r.Method} {r.Path} model={json.GetProperty("model")} stream={json.TryGetProperty("stream", out var s) && s.GetBoolean()} main={IsMainConversation(json)} roles={roles}";
    }));
}
