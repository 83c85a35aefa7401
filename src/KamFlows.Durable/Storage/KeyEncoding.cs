using System.Globalization;
using System.Text;

namespace KamFlows.Durable.Storage;

/// <summary>
/// Makes any instance id a legal Table Storage key: percent-encodes the characters keys forbid
/// (/ \ # ? and control characters), '%' itself, and '|' (our row-key separator). Reversible.
/// </summary>
internal static class KeyEncoding
{
    public const int MaxInstanceIdLength = 400;

    public static string Encode(string value)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsEscape(c))
            {
                sb ??= new StringBuilder(value, 0, i, value.Length + 16);
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture).PadLeft(2, '0'));
                if (c > 0xFF)
                {
                    throw new ArgumentException($"Instance id contains an unsupported character U+{(int)c:X4}.", nameof(value));
                }
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? value;
    }

    public static string Decode(string value) => value.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(value) : value;

    /// <summary>Throws a precise error if the id cannot be used.</summary>
    public static void ValidateInstanceId(string instanceId)
    {
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            throw new ArgumentException("Instance id must not be empty.", nameof(instanceId));
        }

        if (instanceId.Length > MaxInstanceIdLength)
        {
            throw new ArgumentException($"Instance id is {instanceId.Length} characters; at most {MaxInstanceIdLength} are allowed.", nameof(instanceId));
        }

        foreach (var c in instanceId)
        {
            if (char.IsControl(c) && c > 0xFF)
            {
                throw new ArgumentException($"Instance id contains an unsupported character U+{(int)c:X4}.", nameof(instanceId));
            }
        }
    }

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' or '|' || char.IsControl(c);
}
