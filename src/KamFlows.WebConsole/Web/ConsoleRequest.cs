using KamFlows.WebConsole.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.WebConsole.Web;

/// <summary>One request to the console: the HTTP context, who is looking, the path segments after the console's base, the durable client.</summary>
public sealed class ConsoleRequest(HttpContext http, Viewer viewer, IReadOnlyList<string> segments, DurableTaskClient client)
{
    public HttpContext Http { get; } = http;

    public Viewer Viewer { get; } = viewer;

    public ConsoleUser User => Viewer.User ?? throw new InvalidOperationException("No one is signed in.");

    public IReadOnlyList<string> Segments { get; } = segments;

    public DurableTaskClient Client { get; } = client;

    public CancellationToken Aborted => Http.RequestAborted;

    public T Service<T>()
        where T : notnull => Http.RequestServices.GetRequiredService<T>();

    public T? OptionalService<T>() => Http.RequestServices.GetService<T>();

    public string Query(string name) => Http.Request.Query[name].ToString().Trim();

    /// <summary>The hidden anti-forgery field every form carries.</summary>
    public HtmlString AntiforgeryField()
    {
        var tokens = Service<IAntiforgery>().GetAndStoreTokens(Http);
        return Html.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>The current page's path and query, for a return address.</summary>
    public string Here => Http.Request.PathBase + Http.Request.Path + Http.Request.QueryString;
}
