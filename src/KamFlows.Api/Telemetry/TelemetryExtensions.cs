using Azure.Monitor.OpenTelemetry.Exporter;
using KamFlows.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace KamFlows.Api.Telemetry;

/// <summary>
/// Application Insights through OpenTelemetry, the same in both hosts: requests, outgoing HTTP (SendGrid), DurableTask.Core's
/// spans where it runs in-process, KamFlows' metrics and logs. Off (nothing registered, no cost) unless the connection
/// string is set. In Azure the Functions host adds its own record of every function invocation.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>DurableTask.Core's ActivitySource: orchestration, activity and timer spans.</summary>
    public const string DurableTaskCoreSource = "DurableTask.Core";

    /// <summary>The setting Azure (and the Bicep in infra/) uses for the Application Insights connection string.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Rate-limited sampling of traces (the exporter's default when unset).</summary>
    public const string TracesPerSecondSetting = "KamFlows:Telemetry:TracesPerSecond";

    /// <summary>Fixed-share trace sampling (0–1) instead of the rate limit.</summary>
    public const string SamplingRatioSetting = "KamFlows:Telemetry:SamplingRatio";

    /// <summary>Registers the exporters when <see cref="ConnectionStringSetting"/> is set; returns whether it did.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Where the connection string and sampling settings are read.</param>
    /// <param name="meters">Further meters the host emits (the local task hub's).</param>
    public static bool AddKamFlowsTelemetry(this IServiceCollection services, IConfiguration configuration, params string[] meters)
    {
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        Validate(connectionString);
        var tracesPerSecond = configuration.GetValue<double?>(TracesPerSecondSetting);
        if (tracesPerSecond is <= 0 or > 10_000)
        {
            throw new InvalidOperationException($"{TracesPerSecondSetting} must be above 0 and at most 10000 (traces kept per second); it is {tracesPerSecond}.");
        }

        var samplingRatio = configuration.GetValue<float?>(SamplingRatioSetting);
        if (samplingRatio is < 0 or > 1)
        {
            throw new InvalidOperationException($"{SamplingRatioSetting} must be between 0 and 1 (the share of traces kept); it is {samplingRatio}.");
        }

        if (samplingRatio is not null && tracesPerSecond is not null)
        {
            throw new InvalidOperationException($"Set {TracesPerSecondSetting} (rate-limited sampling) or {SamplingRatioSetting} (fixed share), not both.");
        }

        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "kamflows";
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddSource(DurableTaskCoreSource) // Orchestration and activity spans of the task hub worker.
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => !IsStorageRequest(request)))
            .WithMetrics(metrics => metrics
                .AddMeter([KamFlowsMetrics.Name, .. meters])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging()
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                if (samplingRatio is { } ratio)
                {
                    options.SamplingRatio = ratio;
                    options.TracesPerSecond = null; // A fixed share instead of the default rate limit.
                }
                else
                {
                    options.TracesPerSecond = tracesPerSecond ?? options.TracesPerSecond;
                }
            });
        return true;
    }

    /// <summary>
    /// Azure SDK calls (every request carries x-ms-version) are left out of traces: the runtime makes thousands per minute,
    /// which would cost more in ingestion than they tell; kamflows.storage.requests counts them instead.
    /// </summary>
    private static bool IsStorageRequest(HttpRequestMessage request) => request.Headers.Contains("x-ms-version");

    /// <summary>Fails start-up on a connection string Application Insights would not take, without echoing it (it is a credential).</summary>
    private static void Validate(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .ToList();
        if (parts.Any(part => part.Length != 2))
        {
            throw new InvalidOperationException($"{ConnectionStringSetting} is not a connection string: expected 'Key=Value' pairs separated by ';'.");
        }

        var values = parts.ToDictionary(part => part[0], part => part[1], StringComparer.OrdinalIgnoreCase);
        if (!values.TryGetValue("InstrumentationKey", out var key) || !Guid.TryParse(key, out _))
        {
            throw new InvalidOperationException($"{ConnectionStringSetting} has no valid InstrumentationKey (a GUID); copy the connection string from the Application Insights resource.");
        }

        if (values.TryGetValue("IngestionEndpoint", out var endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException($"{ConnectionStringSetting} has an IngestionEndpoint that is not an absolute URL.");
        }
    }
}
