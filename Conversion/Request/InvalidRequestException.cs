namespace Vdm.Conversion.Request;

/// <summary>
/// A client request that cannot be converted, with a message that names the offending field. Thrown deep in the
/// conversion and turned into a <see cref="ConversionError"/> at its entry point, so the walk stays readable.
/// </summary>
internal sealed class InvalidRequestException(string message) : Exception(message);
