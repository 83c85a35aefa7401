// Benchmarks that print figures. Usage:
//   dotnet run -c Release --project bench/KamFlows.Benchmarks -- portfolio [--accounts 1000] [--months 12]
//   dotnet run -c Release --project bench/KamFlows.Benchmarks -- account-contact [--accounts 1000]
// The task hub's own figures (orchestrations/s, storage requests, timers, idle cost) are in bench/KamFlows.Benchmarks.TaskHub.
using KamFlows.Benchmarks;

var verb = args.Length > 0 ? args[0] : "portfolio";
return verb switch
{
    "portfolio" => await PortfolioBenchmark.RunAsync(BenchArgs.Parse(args[1..])),
    "account-contact" => await AccountContactBenchmark.RunAsync(BenchArgs.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: KamFlows.Benchmarks portfolio [--accounts N] [--months N] | account-contact [--accounts N]");
    return 2;
}
