// `dotnet run --project src/KamFlows.Host` must tell a newcomer where the console is and how to sign in: the built host
// is started as a process (embedded in-memory Azurite, a free port) and its output read.
using System.Diagnostics;
using System.Text.RegularExpressions;
using KamFlows.DevStorage;

namespace KamFlows.WebConsole.Tests;

public sealed partial class RunCommandTests
{
    [Fact]
    public async Task Host_AtStart_PrintsTheConsolesAddressAndHowToSignIn_AndTheAddressServesTheSignIn()
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "KamFlows.Host.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot.Find(),
        };
        info.Environment["KamFlows__Storage__AzuriteInMemory"] = "true";
        info.Environment["KamFlows__Email__LocalSinkFolder"] = Path.Combine(Path.GetTempPath(), "kamflows-run-test", Guid.NewGuid().ToString("N"));
        using var process = Process.Start(info)!;
        try
        {
            _ = process.StandardError.ReadToEndAsync();
            Match? announced = null;
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (announced is null && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                announced = Announcement().Match(line) is { Success: true } m ? m : null;
            }

            Assert.NotNull(announced);
            Assert.Contains("sign in", announced.Value, StringComparison.Ordinal);
            using var http = new HttpClient();
            var page = await http.GetStringAsync(announced.Groups["url"].Value + "/signin");
            Assert.Contains("operator@kamflows.local", page, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"KamFlows console: (?<url>http://127\.0\.0\.1:\d+/console) — .*sign in.*")]
    private static partial Regex Announcement();
}
