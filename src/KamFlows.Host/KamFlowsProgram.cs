using KamFlows.DevStorage;
using KamFlows.Infrastructure.Storage;

namespace KamFlows.Host;

/// <summary>Builds and runs the local host: HTTP, the task hub worker, intake and email loops, CLI verbs.</summary>
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

        var (storage, embedded) = await StartStorageAsync(builder.Configuration);
        await using var azurite = embedded;
        builder.Services.AddKamFlowsHost(builder.Configuration, storage);

        var app = builder.Build();
        app.MapKamFlowsEndpoints();
        LogStarting(app.Logger, storage.Description);
        app.Lifetime.ApplicationStarted.Register(() => Console.Out.WriteLine(ConsoleAnnouncement(app)));
        await app.RunAsync();
        return 0;
    }

    /// <summary>Decides where storage is; starts the embedded Azurite when nothing is configured.</summary>
    private static async Task<(ResolvedStorage Storage, EmbeddedAzurite? Azurite)> StartStorageAsync(ConfigurationManager configuration)
    {
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (options.IsConfigured)
        {
            return (ResolvedStorage.FromOptions(options), null);
        }

        var folder = options.AzuriteInMemory ? null : options.AzuriteDataFolder ?? Path.Combine(RepositoryRoot.Find(), ".kamflows", "azurite");
        var azurite = await EmbeddedAzurite.StartAsync(folder);
        return (new ResolvedStorage
        {
            TaskHub = options.TaskHub,
            ConnectionString = azurite.ConnectionString,
            Description = $"embedded Azurite on 127.0.0.1:{azurite.TablePort} (tables), data {(folder is null ? "in memory" : "in " + folder)}",
        }, azurite);
    }

    /// <summary>What a newcomer reads at start: where the web console is and how to sign in to it.</summary>
    internal static string ConsoleAnnouncement(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? DefaultUrl;
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebConsole.Auth.ConsoleOptions>>().Value;
        var signIn = options.LocalSignIn
            ? "sign in on its first page as any KAM or head the accounts name, or as an operator (local sign-in; KamFlows__Console__LocalSignIn=false turns it off)"
            : options.TrustEasyAuthPrincipal ? "sign-in through App Service Authentication (Entra ID)" : "no sign-in configured (set KamFlows__Console__LocalSignIn=true)";
        return $"KamFlows console: {address.TrimEnd('/')}/console — {signIn}.";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "KamFlows starting: storage {Storage}; workflows on DurableTask.Core's task hub worker (Azure Storage provider)")]
    private static partial void LogStarting(ILogger logger, string storage);
}
