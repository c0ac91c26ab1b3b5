using Vdm.Cli;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary>The documentation generated from <see cref="VariableCatalog"/> must match what is checked in.</summary>
public class VariableDocsTests
{
    private const string Regenerate = "out of date: run ./build.sh docs";

    [Test]
    public async Task EnvExampleFile_IsExactlyTheGeneratedOne()
    {
        var checkedIn = RepositoryRoot.ReadFile(".env.example");

        await Assert.That(checkedIn).IsEqualTo(VariableDocs.RenderEnvFile()).Because(".env.example is " + Regenerate);
    }

    [Test]
    public async Task ReadmeVariableTable_IsExactlyTheGeneratedOne()
    {
        var readme = RepositoryRoot.ReadFile("README.md");
        var start = readme.IndexOf("<!-- variables:begin -->\n", StringComparison.Ordinal) + "<!-- variables:begin -->\n".Length;
        var end = readme.IndexOf("<!-- variables:end -->", StringComparison.Ordinal);

        await Assert.That(readme[start..end]).IsEqualTo(VariableDocs.RenderMarkdown()).Because("the README variable table is " + Regenerate);
    }

    [Test]
    public async Task EnvFile_ListsEveryVariableWithItsDefault()
    {
        var text = VariableDocs.RenderEnvFile();

        foreach (var spec in VariableCatalog.All)
        {
            await Assert.That(text).Contains("# Default: " + spec.DefaultText + "\n");
        }

        await Assert.That(text).Contains("\n#PORT=8082\n");
        await Assert.That(text).Contains("\n#OPENAI_API_KEY=sk-your-key\n");
        await Assert.That(text).Contains("\n#VDM_ALIAS_FAST=poe:gemini-flash\n");
    }

    [Test]
    public async Task EnvFile_ParsesAsADotEnvFileThatSetsNothing()
    {
        var parsed = DotEnvFile.Parse(VariableDocs.RenderEnvFile(), ".env.example");

        await Assert.That(parsed.Problems).IsEmpty();
        await Assert.That(parsed.Values).IsEmpty();
    }

    [Test]
    public async Task Readme_ListsEveryBuiltInProviderWithItsUrlAndFormat()
    {
        var readme = RepositoryRoot.ReadFile("README.md");

        foreach (var (name, (url, format)) in KnownProviders.All)
        {
            await Assert.That(readme).Contains($"| `{name}` | `{url}` | {format.ToString().ToLowerInvariant()} |");
        }
    }
}
