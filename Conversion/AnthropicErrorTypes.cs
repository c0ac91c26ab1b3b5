namespace Vdm.Conversion;

/// <summary>The <c>error.type</c> values of Anthropic's error body, and the one a given HTTP status carries.</summary>
internal static class AnthropicErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Billing = "billing_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RequestTooLarge = "request_too_large";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
    public const string Timeout = "timeout_error";
    public const string Overloaded = "overloaded_error";

    /// <summary>The type Anthropic uses for <paramref name="status"/> (its documented table; other 4xx are invalid requests).</summary>
    public static string ForStatus(int status) => status switch
    {
        401 => Authentication,
        402 => Billing,
        403 => Permission,
        404 => NotFound,
        413 => RequestTooLarge,
        429 => RateLimit,
        503 or 529 => Overloaded,
        504 => Timeout,
        >= 400 and < 500 => InvalidRequest,
        _ => Api,
    };
}
