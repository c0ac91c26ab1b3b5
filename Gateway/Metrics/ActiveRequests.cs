using System.Collections.Concurrent;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// The model requests in flight, for <c>/metrics/active-requests</c>. A request claims a free slot with one
/// compare-and-swap and clears it when it ends, so neither takes a lock; only past <see cref="Capacity"/> concurrent
/// requests do the extra ones go to a concurrent dictionary.
/// </summary>
internal sealed class ActiveRequests
{
    public const int Capacity = 4096;

    /// <summary>The <see cref="RequestContext.ActiveSlot"/> of a request kept in the overflow dictionary.</summary>
    public const int Overflow = -2;

    private readonly RequestContext?[] _slots = new RequestContext?[Capacity];
    private readonly ConcurrentDictionary<RequestContext, byte> _overflow = new();
    private int _next;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(RequestContext request)
    {
        Interlocked.Increment(ref _count);

        // Starting where the last claim left off keeps the search short: slots free up roughly in order.
        var start = (int)((uint)Interlocked.Increment(ref _next) % Capacity);
        for (var i = 0; i < Capacity; i++)
        {
            var slot = (start + i) % Capacity;
            if (Volatile.Read(ref _slots[slot]) is null && Interlocked.CompareExchange(ref _slots[slot], request, null) is null)
            {
                request.ActiveSlot = slot;
                return;
            }
        }

        request.ActiveSlot = Overflow;
        _overflow.TryAdd(request, 0);
    }

    /// <summary>Takes the request out, if it is in (a request that was never added, such as a health check, is not).</summary>
    public void Remove(RequestContext request)
    {
        if (request.ActiveSlot >= 0)
        {
            Volatile.Write(ref _slots[request.ActiveSlot], null);
        }
        else if (request.ActiveSlot != Overflow || !_overflow.TryRemove(request, out _))
        {
            return;
        }

        request.ActiveSlot = -1;
        Interlocked.Decrement(ref _count);
    }

    /// <summary>The requests in flight now, newest first.</summary>
    public List<RequestContext> Snapshot()
    {
        var requests = new List<RequestContext>(Count + 8);
        for (var slot = 0; slot < Capacity; slot++)
        {
            if (Volatile.Read(ref _slots[slot]) is { } request)
            {
                requests.Add(request);
            }
        }

        requests.AddRange(_overflow.Keys);
        requests.Sort(static (a, b) => b.StartTimestamp.CompareTo(a.StartTimestamp));
        return requests;
    }
}
