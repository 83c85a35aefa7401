// The recipients table ({hub}EmailRecipients): one row per address (PartitionKey "r", RowKey the lower-case address,
// percent-encoded) with calendar, roles, preferences and next digest times; plus the generated unsubscribe key
// (PartitionKey "settings"). Invariants: rows change only by conditional update (ETag), so a preference set by the
// recipient and a digest time advanced by the scheduler never overwrite each other; registering a team member never
// resets preferences.
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using KamFlows.Infrastructure.Notifications.Outbox;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>Who receives email, in which roles, on which calendar, with which preferences.</summary>
public sealed class RecipientDirectory
{
    private const string Partition = "r";

    private readonly TableClient _table;
    private readonly DigestSchedule _schedule;
    private readonly TimeProvider _time;

    public RecipientDirectory(TableClient table, DigestSchedule schedule, TimeProvider time)
    {
        _table = table;
        _schedule = schedule;
        _time = time;
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<EmailRecipient?> GetAsync(string email, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(email), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>
    /// Records the KAM and the head of an account (call on every kam.account.upserted): calendars and names are updated,
    /// preferences kept, the KAM linked to the head, and first digest times set.
    /// </summary>
    public async Task RegisterAccountTeamAsync(AccountProfile account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await RegisterAsync(account.Kam, isKam: true, isHead: false, headEmail: account.Head.Email, cancellationToken).ConfigureAwait(false);
        await RegisterAsync(account.Head, isKam: false, isHead: true, headEmail: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or updates one team member; roles and heads accumulate (a head may also be a KAM).</summary>
    public async Task<EmailRecipient> RegisterAsync(TeamMemberProfile profile, bool isKam, bool isHead, string? headEmail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return await UpdateAsync(profile.Email, r =>
        {
            var heads = headEmail is null ? r.Heads : r.Heads.Append(UnsubscribeLinks.Normalize(headEmail)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var next = r with
            {
                Email = profile.Email,
                Name = profile.Name ?? r.Name,
                Locale = profile.Locale,
                TimeZone = profile.TimeZone,
                IsKam = r.IsKam || isKam,
                IsHead = r.IsHead || isHead,
                Heads = heads,
                WorkingDays = profile.WorkingDays.Count > 0 ? profile.WorkingDays : r.WorkingDays,
                Opens = profile.Opens,
                Closes = profile.Closes,
                Holidays = profile.Holidays.Select(h => h).ToList(),
                Country = profile.Country,
            };
            var calendarChanged = next.TimeZone != r.TimeZone || !next.WorkingDays.SequenceEqual(r.WorkingDays) || !next.Holidays.SequenceEqual(r.Holidays)
                || next.Country != r.Country;
            return _schedule.Reschedule(next, _time.GetUtcNow(), onlyMissing: !calendarChanged);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets preferences (creating the row for an address not known yet, e.g. a client contact unsubscribing).</summary>
    public async Task<EmailRecipient> SetPreferencesAsync(string email, DigestPreference? digest, bool? nonEssentialOptOut, CancellationToken cancellationToken) =>
        await UpdateAsync(email, r => _schedule.Reschedule(
            r with { Digest = digest ?? r.Digest, NonEssentialOptOut = nonEssentialOptOut ?? r.NonEssentialOptOut },
            _time.GetUtcNow(),
            onlyMissing: false), cancellationToken).ConfigureAwait(false);

    /// <summary>Recipients with a digest due at or before <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<EmailRecipient>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and (NextAgendaAt le {now} or NextReportAt le {now})");
        var result = new List<EmailRecipient>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(e));
        }

        return result;
    }

    public async Task<IReadOnlyList<EmailRecipient>> AllAsync(CancellationToken cancellationToken)
    {
        var result = new List<EmailRecipient>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(e));
        }

        return result;
    }

    /// <summary>The earliest digest time of anyone, to know when to wake up.</summary>
    public async Task<DateTimeOffset?> EarliestDigestAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? earliest = null;
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), select: ["NextAgendaAt", "NextReportAt"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var t in new[] { e.GetDateTimeOffset("NextAgendaAt"), e.GetDateTimeOffset("NextReportAt") })
            {
                if (t is { } at && (earliest is null || at < earliest))
                {
                    earliest = at;
                }
            }
        }

        return earliest;
    }

    /// <summary>Replaces the row if unchanged since read; null when someone else changed it first.</summary>
    public async Task<EmailRecipient?> TryReplaceAsync(EmailRecipient current, EmailRecipient next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(next), current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return next with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>The key that signs unsubscribe links when none is configured: made once, kept in this table.</summary>
    public async Task<byte[]> GetOrCreateSigningKeyAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false); // Resolved while services are built, before start-up created tables.
        var candidate = new TableEntity("settings", "unsubscribe-key") { ["Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        try
        {
            await _table.AddEntityAsync(candidate, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Made earlier (or by another host at the same moment): use that one.
        }

        var stored = await _table.GetEntityAsync<TableEntity>("settings", "unsubscribe-key", cancellationToken: cancellationToken).ConfigureAwait(false);
        return Convert.FromBase64String(stored.Value.GetString("Key")!);
    }

    private async Task<EmailRecipient> UpdateAsync(string email, Func<EmailRecipient, EmailRecipient> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        while (true)
        {
            var current = await GetAsync(email, cancellationToken).ConfigureAwait(false);
            var next = change(current ?? new EmailRecipient { Email = email });
            try
            {
                if (current is null)
                {
                    var added = await _table.AddEntityAsync(ToEntity(next), cancellationToken).ConfigureAwait(false);
                    return next with { ETag = added.Headers.ETag ?? default };
                }

                var updated = await _table.UpdateEntityAsync(ToEntity(next), current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return next with { ETag = updated.Headers.ETag ?? default };
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Changed concurrently: apply the change again to what is stored now.
            }
        }
    }

    private static string Key(string email) => OutboxKeys.Encode(UnsubscribeLinks.Normalize(email));

    private static TableEntity ToEntity(EmailRecipient r) => new(Partition, Key(r.Email))
    {
        ["Email"] = r.Email,
        ["Name"] = r.Name,
        ["Locale"] = r.Locale,
        ["TimeZone"] = r.TimeZone,
        ["IsKam"] = r.IsKam,
        ["IsHead"] = r.IsHead,
        ["Heads"] = JsonSerializer.Serialize(r.Heads),
        ["WorkingDays"] = string.Join(',', r.WorkingDays),
        ["Opens"] = r.Opens,
        ["Closes"] = r.Closes,
        ["Holidays"] = JsonSerializer.Serialize(r.Holidays),
        ["Country"] = r.Country,
        ["Digest"] = r.Digest.ToString(),
        ["NonEssentialOptOut"] = r.NonEssentialOptOut,
        ["NextAgendaAt"] = r.NextAgendaAt,
        ["NextReportAt"] = r.NextReportAt,
    };

    private static EmailRecipient FromEntity(TableEntity e) => new()
    {
        Email = e.GetString("Email")!,
        Name = e.GetString("Name"),
        Locale = e.GetString("Locale") ?? "en",
        TimeZone = e.GetString("TimeZone") ?? "UTC",
        IsKam = e.GetBoolean("IsKam") ?? false,
        IsHead = e.GetBoolean("IsHead") ?? false,
        Heads = JsonSerializer.Deserialize<List<string>>(e.GetString("Heads") ?? "[]") ?? [],
        WorkingDays = (e.GetString("WorkingDays") ?? "mon,tue,wed,thu,fri").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Opens = e.GetString("Opens") ?? "09:00",
        Closes = e.GetString("Closes") ?? "18:00",
        Holidays = JsonSerializer.Deserialize<List<DateOnly>>(e.GetString("Holidays") ?? "[]") ?? [],
        Country = e.GetString("Country"),
        Digest = Enum.TryParse<DigestPreference>(e.GetString("Digest"), out var d) ? d : DigestPreference.Daily,
        NonEssentialOptOut = e.GetBoolean("NonEssentialOptOut") ?? false,
        NextAgendaAt = e.GetDateTimeOffset("NextAgendaAt"),
        NextReportAt = e.GetDateTimeOffset("NextReportAt"),
        ETag = e.ETag,
    };
}
