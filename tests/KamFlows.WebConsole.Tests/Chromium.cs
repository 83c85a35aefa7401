// The browser for the console's tests. Found where an OS package puts it, or installed by the tests themselves from
// Debian's packages (as root, or with password-less sudo) on a fresh machine. Nothing is skipped for want of a browser:
// when none can be had, every browser test fails with what was tried.
using System.Diagnostics;

namespace KamFlows.WebConsole.Tests;

public static class Chromium
{
    public const string PathVariable = "KAMFLOWS_CHROMIUM";

    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
    private static readonly Lazy<string> Executable = new(LocateOrInstall, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Path of a Chromium executable; installs Debian's package on first use when none is present.</summary>
    public static string Path => Executable.Value;

    private static string LocateOrInstall()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured)
        {
            if (File.Exists(configured))
            {
                return configured;
            }

            tried.Add($"{PathVariable}={configured} does not exist");
        }

        if (Find() is { } found)
        {
            return found;
        }

        tried.Add("no Chromium at " + string.Join(", ", Candidates));
        var prefix = IsRoot() ? string.Empty : Run("sudo", "-n true", TimeSpan.FromSeconds(10)).ExitCode == 0 ? "sudo -n " : null;
        if (prefix is null)
        {
            tried.Add("cannot install Debian's chromium: not root and no password-less sudo");
        }
        else if (!File.Exists("/usr/bin/apt-get"))
        {
            tried.Add("cannot install: no apt-get on this machine");
        }
        else
        {
            // apt-get waits for a dpkg lock held by another install instead of failing at once.
            const string install = "-o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends chromium fonts-dejavu-core";
            var first = Apt(prefix, install);
            if (first.ExitCode != 0)
            {
                var update = Apt(prefix, "-o DPkg::Lock::Timeout=300 update -q");
                var second = update.ExitCode == 0 ? Apt(prefix, install) : update;
                if (second.ExitCode != 0)
                {
                    tried.Add($"apt-get failed ({second.ExitCode}): {Tail(second.Output)}");
                }
            }

            if (Find() is { } installed)
            {
                return installed;
            }
        }

        throw new InvalidOperationException("The console's browser tests need Chromium and none could be had. Tried: " + string.Join("; ", tried) +
            $". Install Debian's 'chromium' package (apt-get install chromium) or set {PathVariable} to a Chromium executable.");
    }

    private static string? Find() => Candidates.FirstOrDefault(File.Exists);

    private static bool IsRoot() => Run("id", "-u", TimeSpan.FromSeconds(10)) is { ExitCode: 0 } r && r.Output.Trim() == "0";

    private static (int ExitCode, string Output) Apt(string prefix, string arguments) =>
        prefix.Length == 0 ? Run("apt-get", arguments, TimeSpan.FromMinutes(15)) : Run("sudo", "-n apt-get " + arguments, TimeSpan.FromMinutes(15));

    private static (int ExitCode, string Output) Run(string file, string arguments, TimeSpan timeout)
    {
        try
        {
            var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} {arguments} did not finish in {timeout}");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }

    private static string Tail(string text) => text.Length > 600 ? text[^600..] : text;
}
