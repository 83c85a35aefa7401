using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KamFlows.Infrastructure.Notifications.Outbox;

/// <summary>
/// Keys of the outbox table. Message rows: PartitionKey <c>msg|{id}</c>, RowKey <c>m</c> (one partition per message,
/// so no partition is hot). Due-time index: PartitionKey <c>due|yyyyMMddHH</c> (UTC hour), RowKey
/// <c>{ticks:D19}|{id}</c>, so "everything due by now" is one key-range query. Touch budget:
/// PartitionKey <c>budget|{contact}</c>, RowKey ISO week. Ids are percent-encoded where keys forbid characters.
/// </summary>
internal static class OutboxKeys
{
    public const int MaxIdLength = 400;
    public const string MessagePrefix = "msg|";
    public const string MessageRow = "m";
    public const string DuePrefix = "due|";

    public static string MessagePartition(string notificationId) => MessagePrefix + Encode(notificationId);

    public static string DuePartition(DateTimeOffset dueAt) => DuePrefix + dueAt.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string DueRow(DateTimeOffset dueAt, string notificationId) =>
        dueAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + Encode(notificationId);

    /// <summary>Row keys of index rows due at or before <paramref name="now"/> sort below this.</summary>
    public static string DueRowUpperBound(DateTimeOffset now) => (now.UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);

    public static long TicksOfDueRow(string rowKey) => long.Parse(rowKey.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture);

    public static string BudgetPartition(string contactKey) => "budget|" + Encode(contactKey);

    /// <summary>A short, file-name-safe, stable name for a notification id (the local sink's file names).</summary>
    public static string FileSafeName(string notificationId)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(notificationId)))[..16];
        var readable = new StringBuilder(48);
        foreach (var c in notificationId)
        {
            if (readable.Length == 48)
            {
                break;
            }

            readable.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return readable + "-" + hash;
    }

    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' or '|' || char.IsControl(c))
            {
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
