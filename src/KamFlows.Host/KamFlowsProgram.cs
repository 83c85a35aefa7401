using KamFlows.DevStorage;
using KamFlows.Durable;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Host;

/// <summary>Builds and runs the local web host (Azure runs src/KamFlows.Functions instead).</summary>
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
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        await using var embedded = await StartStorageAsync(builder);
        builder.Services.AddKamFlowsHost(builder.Configuration, runLoops: true);

        var app = builder.Build();
        app.MapKamFlowsEndpoints();
        var storage = app.Services.GetRequiredService<ResolvedStorage>();
        LogStarting(app.Logger, storage.Description);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Decides where storage is; starts the embedded Azurite when nothing is configured.</summary>
    private static async Task<EmbeddedAzurite?> StartStorageAsync(WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (options.IsConfigured)
        {
            builder.Services.AddSingleton(ResolvedStorage.FromOptions(options));
            return null;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "KamFlows starting: storage {Storage}")]
    private static partial void LogStarting(ILogger logger, string storage);
}
