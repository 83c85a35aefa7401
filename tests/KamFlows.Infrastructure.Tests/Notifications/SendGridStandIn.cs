using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for SendGrid's API: records every request (path, headers, JSON body)
/// and answers from a script (default 202 with an X-Message-Id), so the real SendGrid client is exercised end to end.
/// </summary>
public sealed class SendGridStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpResponse, Task>> _script = new();
    private int _accepted;

    private SendGridStandIn(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri Address { get; private set; } = null!;

    public static async Task<SendGridStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new SendGridStandIn(app);
        app.MapPost("/v3/mail/send", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            standIn.Requests.Enqueue(new RecordedRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), JsonNode.Parse(body)!));
            if (standIn._script.TryDequeue(out var answer))
            {
                await answer(context.Response);
                return;
            }

            context.Response.StatusCode = 202;
            context.Response.Headers["X-Message-Id"] = $"sg-{Interlocked.Increment(ref standIn._accepted)}";
        });
        await app.StartAsync();
        standIn.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return standIn;
    }

    /// <summary>The next request gets this answer (then the default 202 again).</summary>
    public void Then(int status, string? body = null, params (string Name, string Value)[] headers) => _script.Enqueue(async response =>
    {
        response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        if (body is not null)
        {
            response.ContentType = "application/json";
            await response.WriteAsync(body);
        }
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(string Path, string Authorization, JsonNode Body);
