namespace Vdm.Gateway.Auth;

/// <summary>How the client sent its own upstream key, so a passthrough provider gets it the same way.</summary>
internal enum UpstreamKeyScheme
{
    /// <summary>The client sent no key of its own.</summary>
    None,

    /// <summary>The <c>x-api-key</c> header: an API key.</summary>
    XApiKey,

    /// <summary><c>Authorization: Bearer</c>: an API key, or a Claude subscription token, which must stay a bearer token.</summary>
    Bearer,
}
