using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Vdm.Gateway.Metrics;

namespace Vdm.Gateway;

/// <summary>
/// Where every request is counted when it ends, in two forms. The <c>Vdm.Gateway</c> meter
/// (System.Diagnostics.Metrics: free while nobody listens, there for dotnet-counters and OpenTelemetry) and vdm's own
/// running totals, which <c>/metrics</c> and <c>/metrics/running-totals</c> report: per HTTP route and status, and for
/// model requests per provider, model and streaming, with tokens, tool calls, errors by type, durations and times to
/// first token. Recording takes no lock (interlocked adds; a dictionary entry is added once per new series).
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Vdm.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<long> _tokens;
    private readonly TimeProvider _time;
    private readonly ModelLabels _models;
    private readonly ConcurrentDictionary<SeriesKey, ModelSeries> _series = new();
    private readonly ConcurrentDictionary<(string Route, int Status), StrongBox<long>> _routes = new();

    public GatewayMetrics(IMeterFactory meterFactory, TimeProvider time, int maxModels)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("vdm.requests", "{request}", "Requests handled");
        _active = _meter.CreateUpDownCounter<long>("vdm.active_requests", "{request}", "Requests in flight");
        _duration = _meter.CreateHistogram<double>("vdm.request.duration", "s", "Time from request start to its last byte");
        _firstToken = _meter.CreateHistogram<double>("vdm.time_to_first_token", "s", "Time from request start to the first token sent");
        _tokens = _meter.CreateCounter<long>("vdm.tokens", "{token}", "Tokens by kind, as the answers stated them");
        _time = time;
        _models = new ModelLabels(maxModels);
        StartedAt = time.GetUtcNow();
    }

    public DateTimeOffset StartedAt { get; }

    public ActiveRequests Active { get; } = new();

    /// <summary>Every model request series so far.</summary>
    public ICollection<KeyValuePair<SeriesKey, ModelSeries>> Series => _series;

    /// <summary>Every request so far, by route pattern and status.</summary>
    public ICollection<KeyValuePair<(string Route, int Status), StrongBox<long>>> Routes => _routes;

    public void RequestStarted(RequestContext request, bool modelRequest)
    {
        _active.Add(1);
        if (modelRequest)
        {
            Active.Add(request);
        }
    }

    public void RequestCompleted(RequestContext request, string route, int status, bool cancelled = false)
    {
        _active.Add(-1);
        Active.Remove(request);

        // GetOrAdd looks up without a lock; only the first request of a new series takes the dictionary's lock to add it.
        Interlocked.Increment(ref _routes.GetOrAdd((route, status), static _ => new StrongBox<long>()).Value);

        var usage = request.Usage;
        var errorType = cancelled ? ErrorTypes.Cancelled
            : usage.ErrorType is { } type ? ErrorTypes.Normalize(type)
            : status >= 400 ? ErrorTypes.Normalize(Conversion.AnthropicErrorTypes.ForStatus(status))
            : null;
        var elapsed = request.Elapsed;
        var firstToken = request.TimeToFirstToken;
        var provider = request.Provider ?? "";
        var model = request.Provider is null ? "" : _models.For(provider, request.Model ?? "");

        if (_requests.Enabled || _duration.Enabled || _tokens.Enabled || _firstToken.Enabled)
        {
            RecordInstruments(request.Usage, route, status, provider, model, errorType, elapsed, firstToken);
        }

        // Model totals are for requests that asked a model for an answer and got as far as a route.
        if (request.AnswerFormat is null || request.Provider is null)
        {
            return;
        }

        var key = new SeriesKey(provider, model, request.Stream);
        _series.GetOrAdd(key, static _ => new ModelSeries()).Record(status, errorType, elapsed, firstToken, usage, _time.GetUtcNow());
    }

    private void RecordInstruments(
        ResponseUsage usage, string route, int status, string provider, string model, string? errorType, TimeSpan elapsed, TimeSpan? firstToken)
    {
        var tags = new TagList
        {
            { "route", route },
            { "status", status },
            { "provider", provider },
            { "model", model },
            { "outcome", errorType == ErrorTypes.Cancelled ? "cancelled" : errorType is null ? "ok" : "error" },
        };
        _requests.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
        if (firstToken is { } ttft)
        {
            _firstToken.Record(ttft.TotalSeconds, new TagList { { "provider", provider }, { "model", model } });
        }

        if (usage.HasTokens)
        {
            AddTokens(provider, model, "input", usage.InputTokens);
            AddTokens(provider, model, "output", usage.OutputTokens);
            AddTokens(provider, model, "cache_read", usage.CacheReadTokens);
            AddTokens(provider, model, "cache_write", usage.CacheWriteTokens);
        }
    }

    private void AddTokens(string provider, string model, string kind, long count)
    {
        if (count > 0)
        {
            _tokens.Add(count, new TagList { { "provider", provider }, { "model", model }, { "kind", kind } });
        }
    }

    public void Dispose() => _meter.Dispose();
}
