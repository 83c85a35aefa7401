// The outbox table ({hub}Outbox). Invariants:
// 1. A message that is Pending, Claimed or Sending has an index row at its DueAt: every write that sets a DueAt first
//    writes that index row, then the message row (conditional on its ETag), then deletes the previous index row.
//    So a crash between two writes leaves at worst an extra index row, never a due message nobody can find.
// 2. Extra index rows are harmless: whoever reads one compares it with the message row and deletes it (conditional on
//    the index row's ETag, so a row rewritten meanwhile survives) when the message is final or due at another time.
//    An index row without a message (enqueue stopped between its two writes) is deleted only after OrphanGrace.
// 3. Message rows change only by conditional update (ETag): two senders never both win the same transition.
using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>Reads and writes outbox rows and their due-time index.</summary>
public sealed class OutboxStore
{
    /// <summary>How long an index row may point at a message that does not exist yet before it is removed.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromHours(1);

    private readonly TableClient _table;
    private readonly TimeProvider _time;

    public OutboxStore(TableClient table, TimeProvider time)
    {
        _table = table;
        _time = time;
    }

    public string TableName => _table.Name;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

    public async Task<OutboxMessage?> GetAsync(string notificationId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(OutboxKeys.MessagePartition(notificationId), OutboxKeys.MessageRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Stores a new Pending message due at its send time; false when the id is already stored (nothing changes).</summary>
    public async Task<bool> InsertAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new OutboxMessage { Request = request, Status = OutboxStatus.Pending, DueAt = request.SendAt, CreatedAt = _time.GetUtcNow() };
        var entity = ToEntity(message);
        await WriteIndexAsync(message.NotificationId, message.DueAt, cancellationToken).ConfigureAwait(false);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // Stored before (a re-run of the same step): the index row written above is extra and the sender drops it.
        }
    }

    /// <summary>
    /// Replaces the row if it is still at <paramref name="current"/>'s version. Returns the stored message (new ETag),
    /// or null when someone else changed it first.
    /// </summary>
    public async Task<OutboxMessage?> TryReplaceAsync(OutboxMessage current, OutboxMessage next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        var needsIndex = !next.Status.IsFinal();
        var moved = next.DueAt.UtcTicks != current.DueAt.UtcTicks;
        if (needsIndex && moved)
        {
            await WriteIndexAsync(next.NotificationId, next.DueAt, cancellationToken).ConfigureAwait(false);
        }

        Response response;
        try
        {
            response = await _table.UpdateEntityAsync(ToEntity(next), current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }

        if (moved || !needsIndex)
        {
            await DeleteIndexAsync(current.NotificationId, current.DueAt, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return next with { ETag = response.Headers.ETag ?? default };
    }

    /// <summary>Index rows due at or before <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DueEntry>> FindDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey ge '{OutboxKeys.DuePrefix}' and PartitionKey le '{OutboxKeys.DuePartition(now)}' and RowKey lt '{OutboxKeys.DueRowUpperBound(now)}'";
        var result = new List<DueEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToDueEntry(e));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The earliest index row (due or not), to know when to wake up; null when nothing waits.</summary>
    public async Task<DateTimeOffset?> EarliestDueAsync(CancellationToken cancellationToken)
    {
        var filter = $"PartitionKey ge '{OutboxKeys.DuePrefix}' and PartitionKey lt 'due}}'";
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return new DateTimeOffset(OutboxKeys.TicksOfDueRow(e.RowKey), TimeSpan.Zero);
        }

        return null;
    }

    /// <summary>Removes an index row; with a specific ETag only if nobody rewrote it since it was read.</summary>
    public async Task DeleteIndexAsync(string notificationId, DateTimeOffset dueAt, ETag ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(OutboxKeys.DuePartition(dueAt), OutboxKeys.DueRow(dueAt, notificationId), ifMatch, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already gone, or rewritten by an enqueue or transition that needs it.
        }
    }

    /// <summary>One page of messages matching <paramref name="query"/> (ordered by id).</summary>
    public async Task<OutboxPage> ListAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new List<string> { $"PartitionKey ge '{OutboxKeys.MessagePrefix}'", "PartitionKey lt 'msg}'" };
        if (query.Status is { } status)
        {
            filter.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        if (query.Kind is { } kind)
        {
            filter.Add(TableClient.CreateQueryFilter($"Kind eq {kind.ToString()}"));
        }

        if (!string.IsNullOrWhiteSpace(query.RecipientEmail))
        {
            filter.Add(TableClient.CreateQueryFilter($"RecipientEmailLower eq {query.RecipientEmail.Trim().ToLowerInvariant()}"));
        }

        if (!string.IsNullOrWhiteSpace(query.AccountId))
        {
            filter.Add(TableClient.CreateQueryFilter($"AccountId eq {query.AccountId}"));
        }

        if (query.SendFrom is { } from)
        {
            filter.Add(TableClient.CreateQueryFilter($"SendAt ge {from}"));
        }

        if (query.SendUntil is { } until)
        {
            filter.Add(TableClient.CreateQueryFilter($"SendAt lt {until}"));
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        await foreach (var page in _table.QueryAsync<TableEntity>(string.Join(" and ", filter), maxPerPage: pageSize, cancellationToken: cancellationToken)
            .AsPages(query.ContinuationToken, pageSize).ConfigureAwait(false))
        {
            return new OutboxPage([.. page.Values.Select(FromEntity)], page.ContinuationToken);
        }

        return new OutboxPage([], null);
    }

    private async Task WriteIndexAsync(string notificationId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(OutboxKeys.DuePartition(dueAt), OutboxKeys.DueRow(dueAt, notificationId))
        {
            ["NotificationId"] = notificationId,
            ["WrittenAt"] = _time.GetUtcNow(),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static DueEntry ToDueEntry(TableEntity e) => new(
        e.GetString("NotificationId")!,
        new DateTimeOffset(OutboxKeys.TicksOfDueRow(e.RowKey), TimeSpan.Zero),
        e.GetDateTimeOffset("WrittenAt") ?? DateTimeOffset.MinValue,
        e.ETag);

    internal static TableEntity ToEntity(OutboxMessage m)
    {
        var r = m.Request;
        var entity = new TableEntity(OutboxKeys.MessagePartition(r.NotificationId), OutboxKeys.MessageRow)
        {
            ["NotificationId"] = r.NotificationId,
            ["Kind"] = r.Kind.ToString(),
            ["RecipientEmail"] = r.Recipient.Email,
            ["RecipientEmailLower"] = r.Recipient.Email.ToLowerInvariant(),
            ["RecipientName"] = r.Recipient.Name,
            ["Locale"] = r.Recipient.Locale,
            ["TimeZone"] = r.Recipient.TimeZone,
            ["Role"] = r.Recipient.Role.ToString(),
            ["ContactId"] = r.Recipient.ContactId,
            ["SendAt"] = r.SendAt,
            ["AccountId"] = r.AccountId,
            ["SourceKey"] = r.SourceKey,
            ["Essential"] = r.Essential,
            ["Invite"] = r.Invite is null ? null : JsonSerializer.Serialize(r.Invite, OutboxJson.Options),
            ["Status"] = m.Status.ToString(),
            ["DueAt"] = m.DueAt,
            ["CreatedAt"] = m.CreatedAt,
            ["Attempts"] = m.Attempts,
            ["LastError"] = m.LastError,
            ["Note"] = m.Note,
            ["ProviderMessageId"] = m.ProviderMessageId,
            ["Provider"] = m.Provider,
            ["SentAt"] = m.SentAt,
            ["ClaimedBy"] = m.ClaimedBy,
            ["LeaseUntil"] = m.LeaseUntil,
            ["AttemptId"] = m.AttemptId,
        };
        OutboxJson.WriteLong(entity, "Fields", JsonSerializer.Serialize(r.Fields, OutboxJson.Options));
        return entity;
    }

    internal static OutboxMessage FromEntity(TableEntity e)
    {
        var fields = JsonSerializer.Deserialize<Dictionary<string, TemplateValue>>(OutboxJson.ReadLong(e, "Fields"), OutboxJson.Options) ?? [];
        var invite = e.GetString("Invite") is { Length: > 0 } inviteJson ? JsonSerializer.Deserialize<CalendarInvite>(inviteJson, OutboxJson.Options) : null;
        var request = new NotificationRequest
        {
            NotificationId = e.GetString("NotificationId")!,
            Kind = Enum.Parse<NotificationKind>(e.GetString("Kind")!),
            Recipient = new NotificationRecipient(
                e.GetString("RecipientEmail")!,
                e.GetString("RecipientName"),
                e.GetString("Locale")!,
                e.GetString("TimeZone")!,
                Enum.Parse<RecipientRole>(e.GetString("Role")!),
                e.GetString("ContactId")),
            SendAt = e.GetDateTimeOffset("SendAt")!.Value,
            AccountId = e.GetString("AccountId")!,
            SourceKey = e.GetString("SourceKey")!,
            Essential = e.GetBoolean("Essential") ?? false,
            Fields = new Dictionary<string, TemplateValue>(fields, StringComparer.Ordinal),
            Invite = invite,
        };
        return new OutboxMessage
        {
            Request = request,
            Status = Enum.Parse<OutboxStatus>(e.GetString("Status")!),
            DueAt = e.GetDateTimeOffset("DueAt")!.Value,
            CreatedAt = e.GetDateTimeOffset("CreatedAt")!.Value,
            Attempts = e.GetInt32("Attempts") ?? 0,
            LastError = e.GetString("LastError"),
            Note = e.GetString("Note"),
            ProviderMessageId = e.GetString("ProviderMessageId"),
            Provider = e.GetString("Provider"),
            SentAt = e.GetDateTimeOffset("SentAt"),
            ClaimedBy = e.GetString("ClaimedBy"),
            LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
            AttemptId = e.GetString("AttemptId"),
            ETag = e.ETag,
        };
    }
}

/// <summary>An index row: the message it points at and when it is due.</summary>
public sealed record DueEntry(string NotificationId, DateTimeOffset DueAt, DateTimeOffset WrittenAt, ETag ETag);

/// <summary>Filters of the outbox listing; every one optional.</summary>
public sealed record OutboxQuery
{
    public OutboxStatus? Status { get; init; }

    public NotificationKind? Kind { get; init; }

    public string? RecipientEmail { get; init; }

    public string? AccountId { get; init; }

    public DateTimeOffset? SendFrom { get; init; }

    public DateTimeOffset? SendUntil { get; init; }

    public int PageSize { get; init; } = 50;

    public string? ContinuationToken { get; init; }
}

public sealed record OutboxPage(IReadOnlyList<OutboxMessage> Messages, string? ContinuationToken);
