// Markup is written through one builder whose interpolation handler HTML-escapes every hole: a value from storage, a
// CRM or a user can only reach the page as text. Only HtmlString (markup this project wrote) passes through unescaped.
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace KamFlows.WebConsole.Web;

/// <summary>Markup produced by this project's own code, never by data: passes through <see cref="Html"/> unescaped.</summary>
public readonly record struct HtmlString(string Value)
{
    public static HtmlString Empty { get; } = new(string.Empty);

    public override string ToString() => Value;
}

/// <summary>A page being written. Interpolated holes are escaped (strings as text, numbers in the invariant culture).</summary>
public sealed class Html
{
    private readonly StringBuilder _builder = new(16 * 1024);

    internal StringBuilder Builder => _builder;

    public Html Add([InterpolatedStringHandlerArgument("")] HtmlHandler markup)
    {
        _ = markup;
        return this;
    }

    public HtmlString ToHtmlString() => new(_builder.ToString());

    public override string ToString() => _builder.ToString();

    /// <summary>Builds a small fragment with escaped holes.</summary>
    public static HtmlString Of(HtmlHandler markup) => new(markup.Result);
}

[InterpolatedStringHandler]
public ref struct HtmlHandler
{
    private readonly StringBuilder _builder;

    public HtmlHandler(int literalLength, int formattedCount, Html html)
    {
        ArgumentNullException.ThrowIfNull(html);
        _builder = html.Builder;
        _ = formattedCount;
        _builder.EnsureCapacity(_builder.Length + literalLength);
    }

    public HtmlHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    internal readonly string Result => _builder.ToString();

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted(HtmlString markup) => _builder.Append(markup.Value);

    public readonly void AppendFormatted(string? text) => _builder.Append(WebUtility.HtmlEncode(text));

    public readonly void AppendFormatted<T>(T value) =>
        _builder.Append(WebUtility.HtmlEncode(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString()));

    public readonly void AppendFormatted<T>(T value, string? format)
        where T : IFormattable =>
        _builder.Append(WebUtility.HtmlEncode(value.ToString(format, CultureInfo.InvariantCulture)));
}
