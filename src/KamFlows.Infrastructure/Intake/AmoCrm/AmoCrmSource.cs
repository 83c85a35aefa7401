using System.Text.RegularExpressions;
using KamFlows.Infrastructure.Intake.Mapping;

namespace KamFlows.Infrastructure.Intake.AmoCrm;

/// <summary>
/// amoCRM webhooks: form-encoded changes such as <c>leads[status][0][id]</c>, <c>leads[status][0][status_id]</c>,
/// <c>leads[update][0][custom_fields][0][id]</c> … plus <c>account[subdomain]</c> and <c>account[id]</c>; authenticated by a
/// secret token in the URL (<c>?token=…</c>), since amoCRM does not sign. Each <c>{entity}[{action}][{n}]</c> group is a
/// record with fields <c>entity</c>, <c>action</c>, its own members (<c>id</c>, <c>status_id</c> …), <c>cf:{field id}</c>
/// for the first value of each custom field, and the <c>account[…]</c> fields. amoCRM sends no event id; the record's id
/// is a hash of its content, which a retry repeats.
/// </summary>
public sealed partial class AmoCrmSource(string urlToken, CrmMapping mapping) : IWebhookSource
{
    public string Name => "amocrm";

    public IReadOnlyList<string> MediaTypes { get; } = ["application/x-www-form-urlencoded"];

    public string? Authenticate(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebhookText.SecretEquals(request.Query("token"), urlToken) ? null : "the token in the URL is missing or wrong";
    }

    public IntakeReadResult Read(WebhookRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = FormFields.Parse(request.Body.Span);
        var account = form.Where(f => f.Key.StartsWith("account[", StringComparison.Ordinal)).ToList();
        var groups = new SortedDictionary<(string Entity, string Action, int Index), Dictionary<string, string>>();
        foreach (var (key, value) in form)
        {
            var match = ChangeKey().Match(key);
            if (!match.Success || !int.TryParse(match.Groups[3].ValueSpan, out var index))
            {
                continue;
            }

            var group = (match.Groups[1].Value, match.Groups[2].Value, index);
            if (!groups.TryGetValue(group, out var fields))
            {
                groups[group] = fields = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["entity"] = group.Item1,
                    ["action"] = group.Item2,
                };
            }

            // "id]" → "id", "custom_fields][0][id]" → "custom_fields[0][id]".
            var rest = match.Groups[4].Value;
            var bracket = rest.IndexOf(']', StringComparison.Ordinal);
            fields[bracket < 0 ? rest : rest[..bracket] + rest[(bracket + 1)..]] = value;
        }

        if (groups.Count == 0)
        {
            return IntakeReadResult.Invalid("$", "no changes found; amoCRM sends fields such as leads[status][0][id]");
        }

        var records = new List<CrmRecord>();
        foreach (var fields in groups.Values)
        {
            foreach (var (key, value) in fields.ToList())
            {
                var custom = CustomFieldId().Match(key);
                if (custom.Success)
                {
                    var valueKey = $"custom_fields[{custom.Groups[1].Value}][values][0][value]";
                    if (fields.TryGetValue(valueKey, out var customValue))
                    {
                        fields["cf:" + value] = customValue;
                    }
                }
            }

            foreach (var (key, value) in account)
            {
                fields[key] = value;
            }

            records.Add(new CrmRecord(records.Count, WebhookText.ContentId(fields), fields));
        }

        return CrmMapper.Map(mapping, Name, records);
    }

    [GeneratedRegex(@"^([a-z_]+)\[([a-z_]+)\]\[(\d{1,4})\]\[(.+)$")]
    private static partial Regex ChangeKey();

    [GeneratedRegex(@"^custom_fields\[(\d{1,4})\]\[id\]$")]
    private static partial Regex CustomFieldId();
}
