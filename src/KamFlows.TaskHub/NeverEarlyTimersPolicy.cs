// Azure Queues take a message's visibility delay in whole seconds and the storage SDK truncates, so DurableTask's
// timer messages (and scheduled starts) become visible up to a second before their due time and orchestrations wake
// early: code comparing CurrentUtcDateTime with a due time would see "not yet". Adding one second to every delayed
// send (a remainder under a second included) makes timers fire at or after their due time (at most about a second late).
using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace KamFlows.TaskHub;

/// <summary>Rounds the visibility delay of delayed queue sends up, so durable timers do not fire before they are due.</summary>
internal sealed partial class NeverEarlyTimersPolicy : HttpPipelineSynchronousPolicy
{
    [GeneratedRegex(@"(^|[?&])visibilitytimeout=(\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex VisibilityTimeout();

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var uri = message.Request.Uri;
        if (message.Request.Method != RequestMethod.Post || !uri.Path.EndsWith("/messages", StringComparison.OrdinalIgnoreCase))
        {
            return; // Only sends: updates (abandon back-off, lock renewal) keep their delays.
        }

        uri.Query = VisibilityTimeout().Replace(uri.Query, m =>
        {
            var seconds = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            // Only delayed sends carry the parameter (DurableTask.AzureStorage sends ordinary messages without one), and 0 is
            // also "less than a second left": rounded up too, at the price of a second for a timer that is already due.
            // The queue's limit is 7 days.
            return seconds is >= 0 and < 604_799 ? $"{m.Groups[1].Value}visibilitytimeout={(seconds + 1).ToString(CultureInfo.InvariantCulture)}" : m.Value;
        });
    }
}
