using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>The JSON writer settings shared by everything this folder writes toward the client.</summary>
internal static class ResponseJson
{
    /// <summary>
    /// The relaxed encoder leaves non-ASCII text as UTF-8: the body is read by API clients, never embedded in HTML,
    /// and <c>\uXXXX</c> escapes would triple the size of CJK model output.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
