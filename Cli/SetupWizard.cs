using System.Globalization;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// The questions of <c>vdm config setup</c>: providers, each one's URL, format and keys, the default provider,
/// aliases, then the optional server settings. Every answer is judged by the real loader together with the answers
/// before it, so what is accepted is what <c>vdm config validate</c> accepts. The input may end once the required
/// answers are in: the optional questions left then take their defaults.
/// </summary>
internal sealed class SetupWizard(Prompter prompter)
{
    // Names the answers in the loader's messages: "MY_LLM_BASE_URL=ftp://x (answer): must be …".
    private const string AnswerLabel = "answer";
    private const string DefaultHost = "127.0.0.1";
    private const string DefaultPort = "8082";

    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private bool _inputEnded;

    public async Task<IReadOnlyList<DotEnvSection>> RunAsync(CancellationToken cancellationToken)
    {
        var names = await AskProviderNamesAsync(cancellationToken).ConfigureAwait(false);
        var sections = new List<DotEnvSection>();
        foreach (var name in names)
        {
            sections.Add(await AskProviderAsync(name, cancellationToken).ConfigureAwait(false));
        }

        sections.Add(await AskRoutingAsync(names, cancellationToken).ConfigureAwait(false));
        if (await AskServerAsync(cancellationToken).ConfigureAwait(false) is { } server)
        {
            sections.Add(server);
        }

        return sections;
    }

    private async Task<IReadOnlyList<string>> AskProviderNamesAsync(CancellationToken cancellationToken)
    {
        await prompter.SayAsync("Providers known by name: " + string.Join(' ', KnownProviders.All.Keys.Order(StringComparer.Ordinal))).ConfigureAwait(false);
        var answer = await prompter.AskAsync("Providers to use, separated by spaces (any other name adds a provider of your own)", null,
            ProviderNamesProblem, cancellationToken).ConfigureAwait(false);
        return SplitList(answer.ToLowerInvariant());
    }

    private static string? ProviderNamesProblem(string answer)
    {
        var names = SplitList(answer.ToLowerInvariant());
        if (names.Count == 0)
        {
            return "name at least one provider, such as openai";
        }

        foreach (var name in names)
        {
            if (!char.IsAsciiLetter(name[0]) || name[^1] == '_' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return $"'{name}': a provider name is letters, digits and _, starting with a letter (such as my_llm)";
            }

            // Some names would make a variable vdm reads as something else (PROXY_API_KEY); the loader knows which.
            var prefix = name.ToUpperInvariant();
            var probe = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [prefix + VariableCatalog.ApiKeySuffix] = "key",
                [prefix + VariableCatalog.BaseUrlSuffix] = "https://api.example.com/v1",
            };
            var result = SetupCheck.Load(probe, AnswerLabel);
            if (result.Errors.Count > 0)
            {
                return string.Join('\n', result.Errors);
            }

            if (!result.Settings!.Providers.Any(provider => provider.Name == name))
            {
                return $"'{name}' cannot name a provider: {prefix}{VariableCatalog.ApiKeySuffix} means something else to vdm";
            }
        }

        return null;
    }

    private async Task<DotEnvSection> AskProviderAsync(string name, CancellationToken cancellationToken)
    {
        var prefix = name.ToUpperInvariant();
        var keyName = prefix + VariableCatalog.ApiKeySuffix;
        var urlName = prefix + VariableCatalog.BaseUrlSuffix;
        var formatName = prefix + VariableCatalog.ApiFormatSuffix;
        var written = new List<KeyValuePair<string, string>>();
        string comment;
        string url;

        // The URL comes first: whether the provider may go without a key depends on it.
        if (KnownProviders.All.TryGetValue(name, out var builtIn))
        {
            url = await prompter.AskAsync($"{name} base URL", builtIn.BaseUrl,
                answer => Problem(false, (keyName, ""), (urlName, answer)), cancellationToken).ConfigureAwait(false);
            var own = url.TrimEnd('/') != builtIn.BaseUrl;
            comment = own ? $"{name}: a built-in provider, at your URL" : $"{name}: a built-in provider ({builtIn.BaseUrl})";
            if (own)
            {
                _variables[urlName] = url;
                written.Add(new(urlName, url));
            }
        }
        else
        {
            url = await prompter.AskAsync($"{name} base URL, the API root such as https://api.example.com/v1", null,
                answer => answer.Length == 0
                    ? $"'{name}' is not a built-in provider, so vdm needs its URL"
                    : Problem(false, (keyName, ""), (urlName, answer)), cancellationToken).ConfigureAwait(false);
            _variables[urlName] = url;
            var format = await prompter.AskAsync($"{name} API format: openai (vdm converts to Chat Completions) or anthropic (passed through)", "openai",
                answer => Problem(false, (keyName, ""), (formatName, answer)), cancellationToken).ConfigureAwait(false);
            format = format.ToLowerInvariant();
            _variables[formatName] = format;
            comment = $"{name}: your own {format}-format provider";
            written.Add(new(urlName, url));
            written.Add(new(formatName, format));
        }

        // Hosted APIs all want a key, so an empty answer there is a slip; a server over plain http may need none.
        var keyOptional = url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        var hint = $"several separated by spaces; {VariableCatalog.PassthroughSentinel} forwards each client's own" + (keyOptional ? "; empty for none" : "");
        var keys = NormalizeKeys(await prompter.AskSecretAsync($"{name} API key ({hint})",
            answer => KeyProblem(name, url, keyOptional, answer), DisplayKeys, cancellationToken).ConfigureAwait(false));
        _variables[keyName] = keys;
        written.Insert(0, new(keyName, keys));
        return new DotEnvSection(comment, written);
    }

    private string? KeyProblem(string name, string url, bool optional, string answer)
    {
        var keys = NormalizeKeys(answer);
        return keys.Length == 0 && !optional
            ? $"{name} needs a key at {url} (or {VariableCatalog.PassthroughSentinel} to forward each client's own)"
            : Problem(false, (name.ToUpperInvariant() + VariableCatalog.ApiKeySuffix, keys));
    }

    private async Task<DotEnvSection> AskRoutingAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var defaultProvider = names[0];
        if (names.Count > 1)
        {
            var choices = string.Join(", ", names);
            defaultProvider = (await prompter.AskAsync($"Default provider, for model names without a provider: prefix ({choices})", names[0],
                answer => names.Contains(answer.ToLowerInvariant()) ? null : $"choose one of {choices}", cancellationToken).ConfigureAwait(false))
                .ToLowerInvariant();
        }

        _variables[VariableCatalog.DefaultProvider] = defaultProvider;
        var written = new List<KeyValuePair<string, string>> { new(VariableCatalog.DefaultProvider, defaultProvider) };

        await prompter.SayAsync("Aliases name models for clients: haiku=openai:gpt-4o-mini sends every model whose name contains " +
            "\"haiku\" there (Claude Code asks for haiku, sonnet and opus models).").ConfigureAwait(false);
        while (await AskOptionalAsync("Alias NAME=provider:model (empty when done)", null, AliasProblem, cancellationToken).ConfigureAwait(false) is { Length: > 0 } alias)
        {
            var (variable, target) = SplitAlias(alias);
            _variables[variable] = target;
            written.Add(new(variable, target));
        }

        return new DotEnvSection("Routing: the provider for model names without a provider: prefix, and aliases", written);
    }

    private string? AliasProblem(string answer)
    {
        if (answer.Length == 0)
        {
            return null;
        }

        var equals = answer.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == answer.Length - 1)
        {
            return "write NAME=provider:model, such as haiku=openai:gpt-4o-mini";
        }

        var name = answer[..equals].Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return $"'{name}': an alias name is letters, digits, - and _";
        }

        var (variable, target) = SplitAlias(answer);
        if (_variables.ContainsKey(variable))
        {
            return $"'{name}' is already an alias (case, - and _ do not matter in alias names)";
        }

        // An alias that cannot route (a provider not set up here) is only a warning to the loader, but here it is a slip.
        return Problem(true, (variable, target));
    }

    private static (string Variable, string Target) SplitAlias(string answer)
    {
        var equals = answer.IndexOf('=', StringComparison.Ordinal);
        var name = answer[..equals].Trim().Replace('-', '_').ToUpperInvariant();
        return (VariableCatalog.GlobalAliasPrefix + name, answer[(equals + 1)..].Trim());
    }

    private async Task<DotEnvSection?> AskServerAsync(CancellationToken cancellationToken)
    {
        var written = new List<KeyValuePair<string, string>>();
        var proxyKey = await AskOptionalAsync("Key clients must send to use vdm, PROXY_API_KEY (empty for none)", null, _ => null, cancellationToken,
            secret: answer => answer.Length == 0 ? "(none)" : KeyFingerprint.Of(answer)).ConfigureAwait(false);
        if (proxyKey is { Length: > 0 })
        {
            _variables[VariableCatalog.ProxyApiKey] = proxyKey;
            written.Add(new(VariableCatalog.ProxyApiKey, proxyKey));
        }

        var host = await AskOptionalAsync("Address to listen on, HOST (0.0.0.0 lets other machines in)", DefaultHost,
            answer => Problem(false, (VariableCatalog.Host, answer)), cancellationToken).ConfigureAwait(false);
        if (host is not null && host != DefaultHost)
        {
            _variables[VariableCatalog.Host] = host;
            written.Add(new(VariableCatalog.Host, host));
        }

        var port = await AskOptionalAsync("Port to listen on, PORT", DefaultPort,
            answer => Problem(false, (VariableCatalog.Port, answer)), cancellationToken).ConfigureAwait(false);
        if (port is not null && int.Parse(port, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) is var number && number != DefaultPort)
        {
            _variables[VariableCatalog.Port] = number;
            written.Add(new(VariableCatalog.Port, number));
        }

        return written.Count == 0 ? null : new DotEnvSection("Server", written);
    }

    /// <summary>An answer that may be left out: empty for none, null once the input has ended (and for every later one).</summary>
    private async Task<string?> AskOptionalAsync(
        string question, string? defaultValue, Func<string, string?> check, CancellationToken cancellationToken, Func<string, string>? secret = null)
    {
        if (_inputEnded)
        {
            return null;
        }

        try
        {
            return secret is null
                ? await prompter.AskAsync(question, defaultValue, check, cancellationToken).ConfigureAwait(false)
                : await prompter.AskSecretAsync(question, check, secret, cancellationToken).ConfigureAwait(false);
        }
        catch (SetupInputEndedException)
        {
            _inputEnded = true;
            await prompter.SayAsync("(the input ended: the questions left take their defaults)").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// What is wrong once <paramref name="candidate"/> joins the answers so far, in the loader's words; null when
    /// nothing is. Warnings count only when <paramref name="warningsToo"/> and new with this answer.
    /// </summary>
    private string? Problem(bool warningsToo, params (string Name, string Value)[] candidate)
    {
        var trial = new Dictionary<string, string>(_variables, StringComparer.Ordinal);
        foreach (var (name, value) in candidate)
        {
            trial[name] = value;
        }

        var result = SetupCheck.Load(trial, AnswerLabel);
        var problems = result.Errors.ToList();
        if (warningsToo)
        {
            problems.AddRange(result.Warnings.Except(SetupCheck.Load(_variables, AnswerLabel).Warnings, StringComparer.Ordinal));
        }

        return problems.Count == 0 ? null : string.Join('\n', problems);
    }

    /// <summary>Keys as the loader splits them (whitespace), commas allowed too; repeats dropped; the sentinel in its usual case.</summary>
    private static string NormalizeKeys(string answer) =>
        string.Join(' ', SplitList(answer).Select(key =>
            key.Equals(VariableCatalog.PassthroughSentinel, StringComparison.OrdinalIgnoreCase) ? VariableCatalog.PassthroughSentinel : key).Distinct(StringComparer.Ordinal));

    // Anything but the sentinel is fingerprinted, even a mistyped "!sentinel": it may be a real key.
    private static string DisplayKeys(string answer)
    {
        var keys = NormalizeKeys(answer);
        return keys.Length == 0 ? "(none)" : string.Join(' ', keys.Split(' ').Select(key =>
            key == VariableCatalog.PassthroughSentinel ? key : KeyFingerprint.Of(key)));
    }

    private static List<string> SplitList(string answer) =>
        [.. answer.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
}
