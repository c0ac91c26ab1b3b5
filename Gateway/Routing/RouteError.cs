namespace Vdm.Gateway.Routing;

/// <summary>Why a requested model name has no route; the gateway answers it with 400 <c>invalid_request_error</c>.</summary>
/// <param name="Message">A sentence for the client, naming what to change.</param>
internal readonly record struct RouteError(string Message);
