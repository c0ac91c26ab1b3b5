using Vdm.Cli;

return await VdmCommand.RunAsync(args, CliContext.FromProcess());
