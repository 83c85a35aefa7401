using KamFlows.Domain.Common;
using KamFlows.Domain.Events;
using KamFlows.Workflows.Common;
using Microsoft.AspNetCore.Http;

namespace KamFlows.Api.Webhooks;

/// <summary>
/// <c>POST /api/webhooks/{source}?mode=backfill</c>: the request carries history (a first import, a replay). Every event
/// of it gets the CloudEvents extension <c>kambackfill: true</c>, so the workflows apply its state and fire nothing
/// whose time has passed (<see cref="CatchUp"/>). <c>mode=live</c> (the default) leaves the events as sent.
/// </summary>
public static class BackfillMode
{
    public const string QueryParameter = "mode";

    /// <summary>Reads <c>?mode=</c>: null when valid (<paramref name="backfill"/> set), otherwise the error naming the parameter.</summary>
    public static EventValidationError? Read(HttpRequest request, out bool backfill)
    {
        ArgumentNullException.ThrowIfNull(request);
        backfill = false;
        if (!request.Query.TryGetValue(QueryParameter, out var values))
        {
            return null;
        }

        switch (values.Count == 1 ? values[0] : null)
        {
            case "backfill":
                backfill = true;
                return null;
            case "live":
                return null;
            default:
                return new EventValidationError(QueryParameter, $"must be 'backfill' or 'live', once (got '{string.Join(",", values.ToArray())}')");
        }
    }

    /// <summary>The event marked as part of a backfill (unchanged when it already is).</summary>
    public static CanonicalEvent Mark(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        if (CatchUp.IsBackfill(canonicalEvent))
        {
            return canonicalEvent;
        }

        var others = canonicalEvent.Extensions.Where(x => !string.Equals(x.Name, CatchUp.BackfillExtension, StringComparison.Ordinal));
        return canonicalEvent with { Extensions = others.Append(new CloudEventExtension(CatchUp.BackfillExtension, "true")).ToValueList() };
    }
}
