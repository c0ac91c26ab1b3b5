using System.Text;
using Vdm.Gateway.Metrics;
using YamlDotNet.RepresentationModel;

namespace Vdm.Tests.Gateway.Metrics;

/// <summary>The running-totals report's YAML, read back by a real YAML reader, whatever the model names hold.</summary>
public class ReportNodeTests
{
    [Test]
    [Arguments("line\nbreak")]
    [Arguments("tab\tand\u0001control")]
    [Arguments("next\u0085line")]
    [Arguments("null")]
    [Arguments("1e3")]
    [Arguments("- dash: colon # hash")]
    [Arguments("quote\" and \\ backslash")]
    [Arguments("")]
    [Arguments("caf\u00e9 \u5de5\u5177")]
    public async Task WriteYaml_OddKey_ReadsBackAsTheSameString(string model)
    {
        var node = new ReportNode();
        node.Child("models").Child(model).Add("requests", 1L);
        var yaml = new StringBuilder();
        node.WriteYaml(yaml);

        string? readBack = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml.ToString()));
            var models = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["models"];
            readBack = ((YamlScalarNode)models.Children.Single().Key).Value;
        }
        catch (Exception exception)
        {
            readBack = "parse error: " + exception.Message;
        }

        await Assert.That(readBack).IsEqualTo(model);
    }
}
