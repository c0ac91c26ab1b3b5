using System.Globalization;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// <c>GET /metrics/running-totals</c>: the original's report — a summary, then each provider's rollup (total,
/// streaming, non-streaming) and its models — from <see cref="GatewayMetrics"/>'s totals since this vdm started,
/// narrowed by <see cref="Glob"/> filters on provider and model. Its key names follow the original's
/// (<c>total_requests</c>, <c>cache_creation_tokens</c>, …), so scripts written for it keep working.
/// </summary>
internal static class RunningTotalsReport
{
    public static ReportNode Build(GatewayMetrics metrics, Glob providers, Glob models, DateTimeOffset now)
    {
        var root = new ReportNode()
            .Add("generated_at", Timestamp(now))
            .Add("started_at", Timestamp(metrics.StartedAt));
        if (providers.Text is not null || models.Text is not null)
        {
            root.Child("filter").Add("provider", providers.Text).Add("model", models.Text);
        }

        var selected = metrics.Series
            .Where(pair => providers.Matches(pair.Key.Provider) && models.Matches(pair.Key.Model))
            .ToList();

        var all = Totals.Of(selected.Select(pair => pair.Value));
        var summary = root.Child("summary")
            .Add("last_accessed", Timestamp(all.LastAccess))
            .Add("total_requests", all.Requests)
            .Add("streaming_requests", Totals.Of(selected.Where(pair => pair.Key.Stream).Select(pair => pair.Value)).Requests)
            .Add("total_errors", all.Errors)
            .Add("total_input_tokens", all.InputTokens)
            .Add("total_output_tokens", all.OutputTokens)
            .Add("total_cache_read_tokens", all.CacheReadTokens)
            .Add("total_cache_creation_tokens", all.CacheWriteTokens)
            .Add("total_tool_uses", all.ToolUses)
            .Add("total_request_bytes", all.RequestBytes)
            .Add("total_response_bytes", all.ResponseBytes)
            .Add("active_requests", (long)metrics.Active.Count)
            .Add("average_duration_ms", all.AverageDurationMs)
            .Add("total_duration_ms", all.TotalDurationMs)
            .Add("average_ttft_ms", all.AverageFirstTokenMs);
        all.AddErrorTypes(summary);

        var providerNodes = root.Child("providers");
        foreach (var provider in selected.GroupBy(pair => pair.Key.Provider, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var node = providerNodes.Child(provider.Key);
            node.Add("last_accessed", Timestamp(Totals.Of(provider.Select(pair => pair.Value)).LastAccess));
            AddRollup(node.Child("rollup"), provider);

            var modelNodes = node.Child("models");
            foreach (var model in provider.GroupBy(pair => pair.Key.Model, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
            {
                var modelNode = modelNodes.Child(model.Key);
                modelNode.Add("last_accessed", Timestamp(Totals.Of(model.Select(pair => pair.Value)).LastAccess));
                AddRollup(modelNode, model);
            }
        }

        return root;
    }

    /// <summary><c>total</c>, then <c>streaming</c> and <c>non_streaming</c> where there were any.</summary>
    private static void AddRollup(ReportNode node, IEnumerable<KeyValuePair<SeriesKey, ModelSeries>> series)
    {
        var list = series.ToList();
        Totals.Of(list.Select(pair => pair.Value)).AddTo(node.Child("total"));
        foreach (var (name, stream) in new[] { ("streaming", true), ("non_streaming", false) })
        {
            var part = Totals.Of(list.Where(pair => pair.Key.Stream == stream).Select(pair => pair.Value));
            if (part.Requests > 0)
            {
                part.AddTo(node.Child(name));
            }
        }
    }

    private static string? Timestamp(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>The sums of some series, read once each.</summary>
    private sealed class Totals
    {
        private readonly SortedDictionary<string, long> _errorsByType = new(StringComparer.Ordinal);
        private double _durationSeconds;
        private long _firstTokens;
        private double _firstTokenSeconds;

        public long Requests { get; private set; }

        public long Errors { get; private set; }

        public long InputTokens { get; private set; }

        public long OutputTokens { get; private set; }

        public long CacheReadTokens { get; private set; }

        public long CacheWriteTokens { get; private set; }

        public long ToolUses { get; private set; }

        public long RequestBytes { get; private set; }

        public long ResponseBytes { get; private set; }

        public DateTimeOffset? LastAccess { get; private set; }

        public double TotalDurationMs => _durationSeconds * 1000;

        public double AverageDurationMs => Requests == 0 ? 0 : TotalDurationMs / Requests;

        public double? AverageFirstTokenMs => _firstTokens == 0 ? null : _firstTokenSeconds * 1000 / _firstTokens;

        public static Totals Of(IEnumerable<ModelSeries> series)
        {
            var totals = new Totals();
            foreach (var one in series)
            {
                totals.Requests += one.Requests;
                totals.Errors += one.Errors;
                totals.InputTokens += one.InputTokens;
                totals.OutputTokens += one.OutputTokens;
                totals.CacheReadTokens += one.CacheReadTokens;
                totals.CacheWriteTokens += one.CacheWriteTokens;
                totals.ToolUses += one.ToolUses;
                totals.RequestBytes += one.RequestBytes;
                totals.ResponseBytes += one.ResponseBytes;
                totals._durationSeconds += one.Duration.SumSeconds;
                totals._firstTokens += one.FirstToken.Count;
                totals._firstTokenSeconds += one.FirstToken.SumSeconds;
                if (one.LastAccess is { } last && (totals.LastAccess is null || last > totals.LastAccess))
                {
                    totals.LastAccess = last;
                }

                foreach (var (type, count) in one.ErrorsByType)
                {
                    totals._errorsByType[type] = totals._errorsByType.GetValueOrDefault(type) + Interlocked.Read(ref count.Value);
                }
            }

            return totals;
        }

        public void AddTo(ReportNode node)
        {
            node.Add("requests", Requests)
                .Add("errors", Errors)
                .Add("input_tokens", InputTokens)
                .Add("output_tokens", OutputTokens)
                .Add("cache_read_tokens", CacheReadTokens)
                .Add("cache_creation_tokens", CacheWriteTokens)
                .Add("tool_uses", ToolUses)
                .Add("request_bytes", RequestBytes)
                .Add("response_bytes", ResponseBytes)
                .Add("average_duration_ms", AverageDurationMs)
                .Add("total_duration_ms", TotalDurationMs)
                .Add("average_ttft_ms", AverageFirstTokenMs);
            AddErrorTypes(node);
        }

        public void AddErrorTypes(ReportNode node)
        {
            if (_errorsByType.Count > 0)
            {
                var types = node.Child("errors_by_type");
                foreach (var (type, count) in _errorsByType)
                {
                    types.Add(type, count);
                }
            }
        }
    }
}
