namespace Vdm.Gateway.Routing;

/// <summary>One configured alias, compiled for matching: its folded name and the route its target chain ends in.</summary>
/// <param name="Key">The alias name folded by <see cref="AliasName.Normalize"/>.</param>
/// <param name="Name">The alias name as configured (lower-cased), reported as <see cref="Route.Alias"/>.</param>
/// <param name="Variable">The variable that defines it, such as <c>VDM_ALIAS_FAST</c>, for messages.</param>
/// <param name="Route">Where it leads, with <see cref="Route.Alias"/> set; default when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why it cannot be used (unknown provider, cycle, …); null when it can.</param>
internal sealed record AliasRule(string Key, string Name, string Variable, Route Route, string? Problem);
