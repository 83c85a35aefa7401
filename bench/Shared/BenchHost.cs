// Shared by the benchmarks that drive the built KamFlows host over loopback (linked into KamFlows.Benchmarks.Intake and
// KamFlows.Benchmarks.EndToEnd): the host's process and start-up, its webhook secret, signed webhook requests, options.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

internal static class BenchHost
{
    /// <summary>The webhook secret of the "events" source the benchmarks sign with.</summary>
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// <summary>A management key for this run only: GET /api/health (storage requests, the backlog) needs one.</summary>
    public static readonly string ApiKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The host on loopback <paramref name="port"/> over the given storage and task hub, warnings and worse logged; callers add their own settings.</summary>
    public static ProcessStartInfo StartInfo(string hostDll, int port, string connectionString, string hub)
    {
        var start = new ProcessStartInfo("dotnet", [hostDll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(hostDll)! };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["KamFlows__Storage__ConnectionString"] = connectionString;
        start.Environment["KamFlows__Storage__TaskHub"] = hub;
        start.Environment["KamFlows__Webhooks__Secrets__events"] = Secret;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["KamFlows__Api__Keys__0"] = ApiKey;
        return start;
    }

    /// <summary>A Standard Webhooks-signed POST of CloudEvents (one, or a batch) to the events webhook.</summary>
    public static HttpRequestMessage WebhookRequest(byte[] body, bool batch, string messageId, string timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", batch ? "application/cloudevents-batch+json" : "application/cloudevents+json");
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("webhook-signature", signature);
        return request;
    }

    /// <summary>GET /api/health with the run's key (older builds ignore the key).</summary>
    public static async Task<System.Text.Json.JsonElement> HealthAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var health = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return health.RootElement.Clone();
    }

    public static async Task WaitForHostAsync(HttpClient http, Process host)
    {
        for (var i = 0; i < 600; i++)
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {host.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not answer /health within 60 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Command-line options: <c>--name value</c> pairs.</summary>
internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Args(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int GetInt(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
