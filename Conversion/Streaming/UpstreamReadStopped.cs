namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reading a provider's answer was stopped by vdm, not by the provider: it sent nothing for
/// <c>STREAMING_READ_TIMEOUT_SECONDS</c> (<see cref="IsTimeout"/>), or vdm is shutting down. An <see cref="IOException"/>,
/// so every relay already ends the answer with an error for it; the message says which of the two, and
/// <see cref="ErrorType"/> is the Anthropic error type to report it with.
/// </summary>
internal sealed class UpstreamReadStopped : IOException
{
    public UpstreamReadStopped()
    {
    }

    public UpstreamReadStopped(string message)
        : base(message)
    {
    }

    public UpstreamReadStopped(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UpstreamReadStopped(string message, bool isTimeout)
        : base(message) => IsTimeout = isTimeout;

    public bool IsTimeout { get; }

    public string ErrorType => IsTimeout ? AnthropicErrorTypes.Timeout : AnthropicErrorTypes.Overloaded;
}
