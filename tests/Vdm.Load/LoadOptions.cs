using System.Globalization;

namespace Vdm.Load;

/// <summary>The load test's settings, from its command line.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: Vdm.Load [options]   (./build.sh bench load [options])
          --vdm PATH            the published binary to load (default ./dist/vdm)
          --streams N           concurrent slow streams (default 2000)
          --chunks N            text chunks per stream (default 30)
          --interval-ms N       milliseconds between two chunks (default 1000)
          --ramp-seconds N      seconds over which the streams are opened (default 5)
          --format F            openai (vdm translates) or anthropic (vdm passes through); default openai
          --goal-mb N           the peak RSS goal, in MB of 10^6 bytes (default 200, issue 5)
          --request FILE        send this Anthropic request instead of a one-line "Hi" (its model and stream are
                                replaced), e.g. tests/Fixtures/claude-code-request.json (93 KB, as Claude Code sends)
          --vdm-env NAME=VALUE  an extra variable for vdm, such as DOTNET_GCgen0size=0x400000 (repeatable)
        """;

    /// <summary>The streams the goal is stated for; a smaller run is a comparison, not a verdict.</summary>
    public const int GoalStreams = 2000;

    public string VdmPath { get; init; } = Path.Combine("dist", OperatingSystem.IsWindows() ? "vdm.exe" : "vdm");

    public int Streams { get; init; } = 2000;

    public int Chunks { get; init; } = 30;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(5);

    public UpstreamFormat Format { get; init; } = UpstreamFormat.OpenAI;

    public int GoalMegabytes { get; init; } = 200;

    /// <summary>An Anthropic request to send instead of the smallest one.</summary>
    public string? RequestPath { get; init; }

    /// <summary>Variables added to vdm's otherwise clean environment, for experiments (GC settings, LOG_LEVEL).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> VdmEnvironment { get; init; } = [];

    /// <summary>Reads <paramref name="args"/>; a problem comes back as <paramref name="error"/>, and "--help" as neither.</summary>
    public static LoadOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new LoadOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return null;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            options = name switch
            {
                "--vdm" => options with { VdmPath = value },
                "--streams" => options with { Streams = Positive(name, value, ref error) },
                "--chunks" => options with { Chunks = Positive(name, value, ref error) },
                "--interval-ms" => options with { Interval = TimeSpan.FromMilliseconds(Positive(name, value, ref error, allowZero: true)) },
                "--ramp-seconds" => options with { Ramp = TimeSpan.FromSeconds(Positive(name, value, ref error, allowZero: true)) },
                "--format" => options with { Format = ParseFormat(value, ref error) },
                "--goal-mb" => options with { GoalMegabytes = Positive(name, value, ref error) },
                "--request" => options with { RequestPath = value },
                "--vdm-env" => options with { VdmEnvironment = [.. options.VdmEnvironment, Variable(value, ref error)] },
                _ => Unknown(options, name, ref error),
            };
            if (error is not null)
            {
                return null;
            }
        }

        return options;
    }

    private static int Positive(string name, string value, ref string? error, bool allowZero = false)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && (number > 0 || allowZero))
        {
            return number;
        }

        error = $"{name} {value}: must be a whole number{(allowZero ? "" : " above 0")}";
        return 0;
    }

    private static UpstreamFormat ParseFormat(string value, ref string? error)
    {
        switch (value.ToLowerInvariant())
        {
            case "openai":
                return UpstreamFormat.OpenAI;
            case "anthropic":
                return UpstreamFormat.Anthropic;
            default:
                error = $"--format {value}: must be openai or anthropic";
                return UpstreamFormat.OpenAI;
        }
    }

    private static KeyValuePair<string, string> Variable(string text, ref string? error)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            error = $"--vdm-env {text}: must be NAME=VALUE";
            return default;
        }

        return new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..]);
    }

    private static LoadOptions Unknown(LoadOptions options, string name, ref string? error)
    {
        error = $"unknown option {name}";
        return options;
    }
}
