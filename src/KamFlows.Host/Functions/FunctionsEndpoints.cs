// Azure Functions custom-handler mode: the Functions host POSTs each non-HTTP trigger to /{functionName} on the
// handler's loopback port. HTTP triggers are forwarded under /api/... (routePrefix "api"), so a public request can
// never reach these invocation paths: they exist only in Functions mode and none starts with /api.
// A failed invocation answers 500, so the Functions host retries the message and finally moves it to its poison queue.
using System.Text.Json.Nodes;
using KamFlows.Durable.Worker;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Notifications;

namespace KamFlows.Host.Functions;

public static partial class FunctionsEndpoints
{
    /// <summary>Function folder names: they must match src/KamFlows.Host/Functions/Definitions/*.</summary>
    public const string WorkQueueFunction = "kamflows-work";
    public const string TimersFunction = "kamflows-timers";
    public const string IntakeFunction = "kamflows-intake";
    public const string EmailFunction = "kamflows-email";

    public static bool IsFunctionsMode => Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") is not null;

    public static WebApplication MapFunctionsInvocations(this WebApplication app)
    {
        if (!IsFunctionsMode)
        {
            return app;
        }

        app.MapPost("/" + WorkQueueFunction, (JsonNode? body, WorkMessageHandler handler, ILoggerFactory logs, CancellationToken ct) =>
            InvokeAsync(WorkQueueFunction, body, logs, async invocation =>
            {
                var message = invocation.GetText("message");
                var dequeueCount = invocation.GetMetadataNumber("DequeueCount", 1);
                await handler.HandleAsync(message, dequeueCount, ct);
                return FunctionsResponse.Ok($"processed work message (attempt {dequeueCount})");
            })).ExcludeFromDescription();

        app.MapPost("/" + TimersFunction, (JsonNode? body, TimerScheduler timers, ILoggerFactory logs, CancellationToken ct) =>
            InvokeAsync(TimersFunction, body, logs, async _ =>
            {
                var fired = await timers.FireDueAsync(ct);
                return FunctionsResponse.Ok($"fired {fired} due timer(s)");
            })).ExcludeFromDescription();

        app.MapPost("/" + IntakeFunction, (JsonNode? body, IntakeProcessor intake, ILoggerFactory logs, CancellationToken ct) =>
            InvokeAsync(IntakeFunction, body, logs, async _ =>
            {
                var processed = await intake.ProcessAllOnceAsync(ct);
                await intake.PruneIfDueAsync(ct);
                return FunctionsResponse.Ok($"processed {processed} intake event(s)");
            })).ExcludeFromDescription();

        app.MapPost("/" + EmailFunction, (JsonNode? body, EmailDelivery email, ILoggerFactory logs, CancellationToken ct) =>
            InvokeAsync(EmailFunction, body, logs, async _ =>
            {
                var next = await email.RunOnceAsync(ct);
                return FunctionsResponse.Ok($"email round done; next due {next?.ToString("O") ?? "none"}");
            })).ExcludeFromDescription();

        return app;
    }

    private static async Task<IResult> InvokeAsync(string function, JsonNode? body, ILoggerFactory logs, Func<FunctionsInvocation, Task<FunctionsResponse>> run)
    {
        var logger = logs.CreateLogger("KamFlows.Functions");
        FunctionsInvocation invocation;
        try
        {
            invocation = FunctionsInvocation.Parse(body);
        }
        catch (FormatException ex)
        {
            LogBadInvocation(logger, function, ex.Message);
            return Results.Json(new FunctionsResponse([], [$"bad invocation: {ex.Message}"], null), statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            return Results.Json(await run(invocation));
        }
        catch (FormatException ex)
        {
            LogBadInvocation(logger, function, ex.Message);
            return Results.Json(new FunctionsResponse([], [$"bad invocation: {ex.Message}"], null), statusCode: StatusCodes.Status400BadRequest);
        }
        catch (Exception ex)
        {
            LogInvocationFailed(logger, ex, function);
            return Results.Json(new FunctionsResponse([], [$"{ex.GetType().Name}: {ex.Message}"], null), statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation of {Function} is malformed: {Problem}")]
    private static partial void LogBadInvocation(ILogger logger, string function, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation of {Function} failed; the Functions host will retry it")]
    private static partial void LogInvocationFailed(ILogger logger, Exception exception, string function);
}
