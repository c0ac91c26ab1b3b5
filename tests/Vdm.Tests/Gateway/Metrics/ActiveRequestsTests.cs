using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion;
using Vdm.Gateway;
using Vdm.Gateway.Metrics;

namespace Vdm.Tests.Gateway.Metrics;

/// <summary>The in-flight list through GatewayMetrics, past its slot table too.</summary>
public class ActiveRequestsTests
{
    private static (GatewayMetrics Metrics, ServiceProvider Services) NewMetrics(int maxModels = 10)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return (new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System, maxModels), services);
    }

    private static RequestContext NewRequest()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/v1/messages";
        return RequestContext.Begin(context);
    }

    [Test]
    public async Task OverflowRequestCompletingAfterTheTableDrained_IsRemoved()
    {
        var (metrics, services) = NewMetrics();
        using var owned = services;
        using var _ = metrics;

        var requests = Enumerable.Range(0, ActiveRequests.Capacity + 1).Select(_ => NewRequest()).ToList();
        foreach (var request in requests)
        {
            metrics.RequestStarted(request, modelRequest: true);
        }

        var overflow = requests.Single(request => request.ActiveSlot < 0);

        // One slot request ends first, then the overflow one, then all the rest.
        var first = requests.First(request => request.ActiveSlot >= 0);
        metrics.RequestCompleted(first, "/v1/messages", 200);
        metrics.RequestCompleted(overflow, "/v1/messages", 200);
        foreach (var request in requests.Where(request => request != first && request != overflow))
        {
            metrics.RequestCompleted(request, "/v1/messages", 200);
        }

        await Assert.That(metrics.Active.Count).IsEqualTo(0);
        await Assert.That(metrics.Active.Snapshot()).IsEmpty();
    }

    [Test]
    public async Task NonModelRequestsWhileOverCapacity_DoNotChangeTheCount()
    {
        var (metrics, services) = NewMetrics();
        using var owned = services;
        using var _ = metrics;

        var requests = Enumerable.Range(0, ActiveRequests.Capacity + 1).Select(_ => NewRequest()).ToList();
        foreach (var request in requests)
        {
            metrics.RequestStarted(request, modelRequest: true);
        }

        for (var i = 0; i < 10; i++)
        {
            var health = NewRequest();
            metrics.RequestStarted(health, modelRequest: false);
            metrics.RequestCompleted(health, "/health", 200);
        }

        await Assert.That(metrics.Active.Count).IsEqualTo(ActiveRequests.Capacity + 1);
    }
}
