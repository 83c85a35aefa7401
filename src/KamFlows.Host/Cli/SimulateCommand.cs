using System.Globalization;
using System.Text.Json;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using KamFlows.Infrastructure.Notifications.Invites;
using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Simulation;
using NodaTime;

namespace KamFlows.Host.Cli;

/// <summary><c>simulate</c>: runs a scenario and prints the notifications as a table, JSON or an iCalendar file.</summary>
public static class SimulateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var (path, until, format, outputFile) = ParseArguments(args);
        Scenario scenario;
        try
        {
            scenario = Scenario.Load(path);
        }
        catch (ScenarioException ex)
        {
            throw new CliException(ex.Message);
        }

        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        var result = await new ScenarioSimulator(configuration).RunAsync(scenario, until);
        var templates = NotificationTemplates.Load(configuration["KamFlows:Email:TemplateOverrideFolder"]);
        var rows = result.Notifications.Select(n => SimulatedNotification.From(n, templates)).ToList();

        var text = format switch
        {
            "json" => JsonSerializer.Serialize(rows, JsonOptions),
            "ics" => ToCalendar(scenario, rows),
            _ => ToTable(scenario, result, rows),
        };
        if (outputFile is null)
        {
            await output.WriteAsync(text);
        }
        else
        {
            await File.WriteAllTextAsync(outputFile, text);
            await error.WriteLineAsync($"{rows.Count} notifications written to {outputFile}");
        }

        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static (string Path, DateTimeOffset? Until, string Format, string? Output) ParseArguments(string[] args)
    {
        string? path = null;
        DateTimeOffset? until = null;
        var format = "table";
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new CliException($"{args[i]} needs a value.\n\n{Cli.Usage}");
            switch (args[i])
            {
                case "--until":
                    var v = Value();
                    until = DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                        ? t : throw new CliException($"--until '{v}' is not a date (e.g. 2029-06-30 or 2029-06-30T00:00:00+03:00).");
                    break;
                case "--format":
                    format = Value();
                    if (format is not ("table" or "json" or "ics"))
                    {
                        throw new CliException($"--format '{format}' is not one of table, json, ics.");
                    }

                    break;
                case "--output":
                    output = Value();
                    break;
                default:
                    if (args[i].StartsWith('-'))
                    {
                        throw new CliException($"Unknown option {args[i]}.\n\n{Cli.Usage}");
                    }

                    path = path is null ? args[i] : throw new CliException($"Only one scenario file, got '{path}' and '{args[i]}'.");
                    break;
            }
        }

        return (path ?? throw new CliException($"simulate needs a scenario file.\n\n{Cli.Usage}"), until, format, output);
    }

    private static string ToTable(Scenario scenario, SimulationResult result, List<SimulatedNotification> rows)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"Scenario: {scenario.Name}{(scenario.Description is null ? "" : " — " + scenario.Description)}");
        w.WriteLine($"Simulated until {result.Until:yyyy-MM-dd HH:mm zzz}: {rows.Count} notifications, {result.Instances.Count} workflow instances, {result.Steps} steps.");
        w.WriteLine();
        var widths = new[] { 26, Math.Max(9, rows.Select(r => r.Recipient.Length).DefaultIfEmpty(0).Max()), 6, Math.Max(4, rows.Select(r => r.Kind.Length).DefaultIfEmpty(0).Max()) };
        w.WriteLine($"{"Local time".PadRight(widths[0])}  {"Recipient".PadRight(widths[1])}  {"Role".PadRight(widths[2])}  {"Kind".PadRight(widths[3])}  Subject");
        foreach (var r in rows)
        {
            w.WriteLine($"{r.LocalTime.PadRight(widths[0])}  {r.Recipient.PadRight(widths[1])}  {r.Role.PadRight(widths[2])}  {r.Kind.PadRight(widths[3])}  {r.Subject}");
        }

        w.WriteLine();
        w.WriteLine("Instances at the end:");
        foreach (var i in result.Instances)
        {
            w.WriteLine($"  {i.InstanceId.PadRight(30)} {i.RuntimeStatus}");
        }

        return w.ToString();
    }

    private static string ToCalendar(Scenario scenario, List<SimulatedNotification> rows)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//KamFlows//Simulation//EN" };
        calendar.AddProperty("X-WR-CALNAME", "KamFlows simulation: " + scenario.Name);
        foreach (var zone in rows.GroupBy(r => r.TimeZone, StringComparer.Ordinal))
        {
            CalendarZones.Add(calendar, zone.Key, zone.Min(r => r.Local).ToDateTimeUnspecified());
        }

        foreach (var r in rows)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = r.NotificationId,
                Summary = $"{r.Kind}: {r.Subject}",
                Description = $"To {r.Recipient} ({r.Role}) — {r.SourceKey}",
                DtStart = new CalDateTime(r.Local.Year, r.Local.Month, r.Local.Day, r.Local.Hour, r.Local.Minute, r.Local.Second, r.TimeZone),
                Duration = Ical.Net.DataTypes.Duration.FromTimeSpanExact(TimeSpan.FromMinutes(15)),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}

/// <summary>One notification of a simulation, as printed.</summary>
public sealed record SimulatedNotification(
    DateTimeOffset SendAt,
    string LocalTime,
    string TimeZone,
    string Recipient,
    string Role,
    string Kind,
    string Subject,
    string NotificationId,
    string SourceKey,
    string AccountId)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public LocalDateTime Local { get; init; }

    public static SimulatedNotification From(NotificationRequest n, NotificationTemplates templates)
    {
        ArgumentNullException.ThrowIfNull(n);
        ArgumentNullException.ThrowIfNull(templates);
        var zone = DateTimeZoneProviders.Tzdb[n.Recipient.TimeZone];
        var local = Instant.FromDateTimeOffset(n.SendAt).InZone(zone);
        var subject = templates.Render(n.Kind, n.Fields, new LocaleFormat(n.Recipient.Locale, n.Recipient.TimeZone), null).Subject;
        return new SimulatedNotification(
            n.SendAt,
            local.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm ddd zzz", CultureInfo.InvariantCulture),
            n.Recipient.TimeZone,
            n.Recipient.Email,
            n.Recipient.Role switch { RecipientRole.Kam => "KAM", RecipientRole.Head => "head", _ => "client" },
            n.Kind.ToString(),
            subject,
            n.NotificationId,
            n.SourceKey,
            n.AccountId) { Local = local.LocalDateTime };
    }
}
