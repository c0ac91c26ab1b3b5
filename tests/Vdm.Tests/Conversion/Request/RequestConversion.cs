using System.Buffers;
using System.Text;
using Vdm.Conversion;
using Vdm.Conversion.Request;

namespace Vdm.Tests.Conversion.Request;

/// <summary>Runs one request conversion for a test: the client's body in, the upstream body, error and notes out.</summary>
internal static class RequestConversion
{
    public static ConversionContext Context(string provider = "custom", string model = "m") => new("vdm-alias", model, provider);

    public static (string Body, ConversionError? Error, List<string> Notes) Run(string clientBody, ConversionContext? context = null)
    {
        context ??= Context();
        var output = new ArrayBufferWriter<byte>();
        var error = AnthropicToOpenAIRequest.Write(Encoding.UTF8.GetBytes(clientBody), context, output);
        return (Encoding.UTF8.GetString(output.WrittenSpan), error, context.Notes);
    }

    /// <summary>Converts a body that must convert, and returns the upstream JSON.</summary>
    public static string Convert(string clientBody, ConversionContext? context = null)
    {
        var (body, error, _) = Run(clientBody, context);
        return error is null ? body : throw new InvalidOperationException($"conversion failed: {error}");
    }

    /// <summary>The upstream messages array alone, for tests about messages.</summary>
    public static string Messages(string clientMessages, string extra = "", ConversionContext? context = null)
    {
        var body = Convert($"{{\"model\":\"x\",\"max_tokens\":10{extra},\"messages\":{clientMessages}}}", context);
        var start = body.IndexOf("\"messages\":", StringComparison.Ordinal) + "\"messages\":".Length;
        var end = body.IndexOf("],\"max_", start, StringComparison.Ordinal);
        return body[start..(end + 1)];
    }
}
