using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Vdm.Gateway.Metrics;

/// <summary>Which requests one <see cref="ModelSeries"/> adds up: a provider, a model (or <c>other</c>), streamed or not.</summary>
internal readonly record struct SeriesKey(string Provider, string Model, bool Stream);

/// <summary>
/// Running totals of the model requests of one <see cref="SeriesKey"/>: counts by status and by error type, tokens
/// by kind, tool calls, bytes, and the duration and first-token histograms. Every update is interlocked; readers
/// get values that are each current, if not all from the same instant.
/// </summary>
internal sealed class ModelSeries
{
    private long _requests;
    private long _errors;
    private long _inputTokens;
    private long _outputTokens;
    private long _cacheReadTokens;
    private long _cacheWriteTokens;
    private long _toolUses;
    private long _requestBytes;
    private long _responseBytes;
    private long _lastAccessTicks;

    public ConcurrentDictionary<int, StrongBox<long>> Statuses { get; } = new();

    public ConcurrentDictionary<string, StrongBox<long>> ErrorsByType { get; } = new(StringComparer.Ordinal);

    public LatencyHistogram Duration { get; } = new(LatencyHistogram.DurationBounds);

    public LatencyHistogram FirstToken { get; } = new(LatencyHistogram.FirstTokenBounds);

    public long Requests => Interlocked.Read(ref _requests);

    public long Errors => Interlocked.Read(ref _errors);

    public long InputTokens => Interlocked.Read(ref _inputTokens);

    public long OutputTokens => Interlocked.Read(ref _outputTokens);

    public long CacheReadTokens => Interlocked.Read(ref _cacheReadTokens);

    public long CacheWriteTokens => Interlocked.Read(ref _cacheWriteTokens);

    public long ToolUses => Interlocked.Read(ref _toolUses);

    public long RequestBytes => Interlocked.Read(ref _requestBytes);

    public long ResponseBytes => Interlocked.Read(ref _responseBytes);

    public DateTimeOffset? LastAccess => Interlocked.Read(ref _lastAccessTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Record(int status, string? errorType, TimeSpan duration, TimeSpan? firstToken, ResponseUsage usage, DateTimeOffset now)
    {
        Interlocked.Increment(ref _requests);
        Increment(Statuses, status);
        if (errorType is not null)
        {
            Interlocked.Increment(ref _errors);
            Increment(ErrorsByType, errorType);
        }

        Interlocked.Add(ref _inputTokens, usage.InputTokens);
        Interlocked.Add(ref _outputTokens, usage.OutputTokens);
        Interlocked.Add(ref _cacheReadTokens, usage.CacheReadTokens);
        Interlocked.Add(ref _cacheWriteTokens, usage.CacheWriteTokens);
        Interlocked.Add(ref _toolUses, usage.ToolUses);
        Interlocked.Add(ref _requestBytes, usage.RequestBytes);
        Interlocked.Add(ref _responseBytes, usage.ResponseBytes);
        Duration.Record(duration);
        if (firstToken is { } ttft)
        {
            FirstToken.Record(ttft);
        }

        // Concurrent completions may store their times out of order by a hair; the latest of them is close enough.
        Interlocked.Exchange(ref _lastAccessTicks, now.UtcTicks);
    }

    private static void Increment<TKey>(ConcurrentDictionary<TKey, StrongBox<long>> counts, TKey key)
        where TKey : notnull
    {
        // The first of a status or type adds an entry (a lock inside the dictionary, once); every later lookup is lock-free.
        Interlocked.Increment(ref counts.GetOrAdd(key, static _ => new StrongBox<long>()).Value);
    }
}
