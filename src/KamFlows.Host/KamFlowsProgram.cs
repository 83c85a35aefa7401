using KamFlows.DevStorage;
using KamFlows.Durable;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Host;

/// <summary>Builds and runs the web host (local mode or Azure Functions custom handler).</summary>
public static partial class KamFlowsProgram
{
    /// <summary>Default local address when none is configured (ASPNETCORE_URLS or --urls).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static async Task<int> MainAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && Cli.Cli.IsVerb(args[0]))
        {
            return await Cli.Cli.RunAsync(args, Console.Out, Console.Error);
        }

        // Content root = where the executable is, so its appsettings.json applies whatever the working directory (dotnet run from the repo root).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var functionsPort = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT");
        if (functionsPort is not null)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{functionsPort}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        await using var embedded = await StartStorageAsync(builder, functionsPort is not null);
        builder.Services.AddKamFlowsHost(builder.Configuration, runLoops: functionsPort is null);

        var app = builder.Build();
        app.MapKamFlowsEndpoints();
        var storage = app.Services.GetRequiredService<ResolvedStorage>();
        LogStarting(app.Logger, storage.Description, functionsPort is null ? "local (in-process queue and timer loops)" : "Azure Functions custom handler");
        await app.RunAsync();
        return 0;
    }

    /// <summary>Decides where storage is; starts the embedded Azurite when nothing is configured (local runs only).</summary>
    private static async Task<EmbeddedAzurite?> StartStorageAsync(WebApplicationBuilder builder, bool inFunctions)
    {
        var options = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (options.IsConfigured)
        {
            builder.Services.AddSingleton(ResolvedStorage.FromOptions(options));
            return null;
        }

        if (inFunctions)
        {
            throw new InvalidOperationException(
                $"No storage configured. In Azure set {StorageOptions.Section}:TableServiceUri, QueueServiceUri and BlobServiceUri " +
                $"(and ClientId for a user-assigned identity), or {StorageOptions.Section}:ConnectionString.");
        }

        var folder = options.AzuriteInMemory ? null : options.AzuriteDataFolder ?? Path.Combine(RepositoryRoot.Find(), ".kamflows", "azurite");
        var azurite = await EmbeddedAzurite.StartAsync(folder);
        builder.Services.AddSingleton(new ResolvedStorage
        {
            TaskHub = options.TaskHub,
            ConnectionString = azurite.ConnectionString,
            Description = $"embedded Azurite on 127.0.0.1:{azurite.TablePort} (tables), data {(folder is null ? "in memory" : "in " + folder)}",
        });
        return azurite;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "KamFlows starting: storage {Storage}; mode {Mode}")]
    private static partial void LogStarting(ILogger logger, string storage, string mode);
}
