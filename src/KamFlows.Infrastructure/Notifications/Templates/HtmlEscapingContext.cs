using System.Net;
using Scriban;
using Scriban.Parsing;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// A Scriban context whose every <c>{{ expression }}</c> output is HTML-escaped, whatever produced it (a field, a loop
/// item, a function result, a string concatenation). Only the template's literal text and a <see cref="TrustedHtml"/>
/// (the layout's body, rendered by this same context) are written as they are. Data can never become a TrustedHtml:
/// fields are converted to strings, numbers, lists and objects before rendering.
/// </summary>
internal sealed class HtmlEscapingContext(Scriban.Runtime.ScriptObject builtins) : TemplateContext(builtins)
{
    public override TemplateContext Write(SourceSpan span, object? textAsObject) =>
        textAsObject is TrustedHtml trusted ? Write(trusted.Html) : Write(WebUtility.HtmlEncode(ObjectToString(textAsObject)));
}

/// <summary>HTML that KamFlows produced itself by rendering an escaped template.</summary>
internal sealed record TrustedHtml(string Html)
{
    public override string ToString() => Html;
}
