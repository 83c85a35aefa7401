// Benchmarks that print figures. Usage:
//   dotnet run -c Release --project bench/KamFlows.Benchmarks -- durable [--instances 500] [--waiting 10000] [--idle-seconds 120]
//   dotnet run -c Release --project bench/KamFlows.Benchmarks -- portfolio [--accounts 1000] [--months 12]
using KamFlows.Benchmarks;

var verb = args.Length > 0 ? args[0] : "durable";
return verb switch
{
    "durable" => await DurableBenchmark.RunAsync(BenchArgs.Parse(args[1..])),
    "portfolio" => await PortfolioBenchmark.RunAsync(BenchArgs.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: KamFlows.Benchmarks durable [--instances N] [--waiting N] [--idle-seconds S] | portfolio [--accounts N] [--months N]");
    return 2;
}
