using KamFlows.WebConsole.Auth;
using KamFlows.Infrastructure.Storage;
using KamFlows.WebConsole.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KamFlows.WebConsole;

/// <summary>Registers the console's services (both hosts) and maps its routes (the local host; the Functions app has one HTTP trigger).</summary>
public static class ConsoleRegistration
{
    /// <summary>The console's routes under a host: everything below is handed to <see cref="ConsoleApp.HandleAsync"/>.</summary>
    public const string Route = "console/{*path}";

    /// <summary>The console's options, identity, anti-forgery and readers. The local host offers the local sign-in unless configured otherwise; the Azure app never by default.</summary>
    public static IServiceCollection AddKamFlowsConsole(this IServiceCollection services, IConfiguration configuration, bool localSignInByDefault)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConsoleOptions>().Configure(o => o.LocalSignIn = localSignInByDefault).Bind(configuration.GetSection(ConsoleOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConsoleOptions>>(new OptionsValidator());
        services.AddSingleton(sp => new ConsoleIdentity(sp.GetRequiredService<IOptions<ConsoleOptions>>().Value,
            sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()));
        services.AddSingleton<AccountObjects>();
        services.AddSingleton<PortfolioSnapshots>();
        // One key ring in storage for every instance of the app (and across restarts): cookies and forms stay valid wherever they land.
        services.AddDataProtection().SetApplicationName("KamFlows.WebConsole");
        services.AddOptions<KeyManagementOptions>().Configure<StorageClients>((o, clients) => o.XmlRepository = new TableKeyRepository(clients.Table(TableKeyRepository.TableName)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "kamflows.console.af";
            o.Cookie.Path = "/";
            o.FormFieldName = "__af";
            o.SuppressXFrameOptionsHeader = true; // The console sends DENY itself.
        });
        return services;
    }

    /// <summary>Maps the console at /console (and /api/console, where the Azure app serves it), and / to it.</summary>
    public static IEndpointRouteBuilder MapKamFlowsConsole(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        foreach (var prefix in new[] { "/", "/api/" })
        {
            routes.MapMethods(prefix + Route, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, string? path, DurableTaskClient client) => ConsoleApp.HandleAsync(http, path, client))
                .ExcludeFromDescription().DisableAntiforgery();
        }

        routes.MapGet("/", () => Results.Redirect("/console")).ExcludeFromDescription();
        return routes;
    }

    private sealed class OptionsValidator : IValidateOptions<ConsoleOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConsoleOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
