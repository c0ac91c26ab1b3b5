using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary><c>vdm models</c>: aliases from the configuration, a provider's own list, or a running gateway's.</summary>
public class ModelsCommandTests
{
    [Test]
    public async Task Models_FromTheConfiguration_EachAliasWithWhereItLeads_ThenTheTargets()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"), ("VDM_ALIAS_FAST", "openai:gpt-4o-mini"));

        var exitCode = await cli.RunAsync(["models"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).IsEqualTo(
            "MODEL               DETAIL\n" +
            "fast                fast → openai:gpt-4o-mini\n" +
            "openai:gpt-4o-mini  openai\n");
    }

    [Test]
    public async Task Models_OneProvider_AsksItWithItsKeyAndPrefixesItsIds()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json("""{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1700000000,"owned_by":"system"}]}""");
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-list"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")));

        var exitCode = await cli.RunAsync(["models", "--provider", "openai", "--json"]);
        using var json = JsonDocument.Parse(cli.Output.ToString());

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(json.RootElement.GetProperty("data")[0].GetProperty("id").GetString()).IsEqualTo("openai:gpt-4o");
        await Assert.That(upstream.Received.Single().Header("authorization")).IsEqualTo("Bearer sk-list");
    }

    [Test]
    public async Task Models_FromARunningServer_ListsItsModelsAsTheyAre()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("VDM_ALIAS_FAST", "openai:gpt-4o-mini")));
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["models", "--url", gateway.Client.BaseAddress!.ToString()]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).StartsWith("MODEL               DETAIL\nfast                vdm\nopenai:gpt-4o-mini  openai\n");
    }

    [Test]
    public async Task Models_UnknownProvider_ExitsTwo()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"));

        var exitCode = await cli.RunAsync(["models", "--provider", "nope"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("vdm: no provider 'nope' (configured: openai)");
    }
}
