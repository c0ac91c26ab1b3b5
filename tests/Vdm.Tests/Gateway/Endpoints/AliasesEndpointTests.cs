using System.Net;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>GET /v1/aliases through the real server.</summary>
public class AliasesEndpointTests
{
    [Test]
    public async Task HandleAsync_GlobalAndScopedAliases_AreGroupedGlobalFirstUnderStar()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"),
            ("ANTHROPIC_API_KEY", "k"),
            ("VDM_ALIAS_FAST", "openai:gpt-4o-mini"),
            ("VDM_ALIAS_SMART", "anthropic:claude-sonnet-4-5"),
            ("OPENAI_ALIAS_BIG", "gpt-4o")));

        using var response = await gateway.Client.GetAsync(new Uri("/v1/aliases", UriKind.Relative));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(
            """{"object":"list","aliases":{"*":{"fast":"openai:gpt-4o-mini","smart":"anthropic:claude-sonnet-4-5"},"openai":{"big":"gpt-4o"}},"total":3}""");
    }

    [Test]
    public async Task HandleAsync_NoAliases_IsAnEmptyList()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k")));

        var body = await gateway.Client.GetStringAsync(new Uri("/v1/aliases", UriKind.Relative));

        await Assert.That(body).IsEqualTo("""{"object":"list","aliases":{},"total":0}""");
    }
}
