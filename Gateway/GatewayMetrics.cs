using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vdm.Gateway;

/// <summary>
/// The gateway's instruments (System.Diagnostics.Metrics, so recording takes no lock): requests by route and status,
/// active requests, and duration. Every request passes through <see cref="RequestStarted"/> and
/// <see cref="RequestCompleted"/>; provider and model tags come from the <see cref="RequestContext"/> once routed.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "Vdm.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _duration;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("vdm.requests", "{request}", "Requests handled");
        _active = _meter.CreateUpDownCounter<long>("vdm.active_requests", "{request}", "Requests in flight");
        _duration = _meter.CreateHistogram<double>("vdm.request.duration", "s", "Time from request start to its last byte");
    }

    public void RequestStarted() => _active.Add(1);

    public void RequestCompleted(RequestContext request, string route, int status, bool cancelled = false)
    {
        _active.Add(-1);
        var tags = new TagList
        {
            { "route", route },
            { "status", status },
            { "provider", request.Provider ?? "" },
            { "model", request.Model ?? "" },
            { "outcome", cancelled ? "cancelled" : status < 400 ? "ok" : "error" },
        };
        _requests.Add(1, tags);
        _duration.Record(request.Elapsed.TotalSeconds, tags);
    }

    public void Dispose() => _meter.Dispose();
}
