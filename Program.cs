using Vdm.Cli;

// Called through a link named claude.vdm, vdm is `vdm wrap claude` and every argument belongs to claude. argv[0] is
// the only place that name survives: a native binary's process path is the link's target.
var context = CliContext.FromProcess();
return WrapCommand.IsClaudeLink(Environment.GetCommandLineArgs()[0])
    ? await VdmCommand.RunAsync(WrapCommand.ClaudeLinkArguments(args), context)
    : await VdmCommand.RunAsync(args, context);
