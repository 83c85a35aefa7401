// KamFlows host. Without arguments it serves HTTP (webhooks, management API, health) and runs the workflows;
// with a verb (see Cli) it runs a command and exits.
return await KamFlows.Host.KamFlowsProgram.MainAsync(args);
