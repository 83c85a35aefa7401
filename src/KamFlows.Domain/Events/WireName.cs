using System.Collections.Frozen;
using System.Text;

namespace KamFlows.Domain.Events;

/// <summary>
/// The snake_case names enums have in canonical-event JSON (<c>ImageMaker</c> ↔ <c>image_maker</c>,
/// <c>InformationAndControl</c> ↔ <c>information_and_control</c>), and the three-letter day names
/// (<c>mon</c> … <c>sun</c>) of working calendars. Matching is exact and case-sensitive.
/// </summary>
public static class WireName
{
    private static readonly FrozenDictionary<IsoDayOfWeek, string> DayNames = new Dictionary<IsoDayOfWeek, string>
    {
        [IsoDayOfWeek.Monday] = "mon",
        [IsoDayOfWeek.Tuesday] = "tue",
        [IsoDayOfWeek.Wednesday] = "wed",
        [IsoDayOfWeek.Thursday] = "thu",
        [IsoDayOfWeek.Friday] = "fri",
        [IsoDayOfWeek.Saturday] = "sat",
        [IsoDayOfWeek.Sunday] = "sun",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, IsoDayOfWeek> DaysByName = DayNames.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? name, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return name is not null && Names<TEnum>.ByName.TryGetValue(name, out value);
    }

    /// <summary>Every wire name of <typeparamref name="TEnum"/> in declaration order, e.g. for error messages.</summary>
    public static ValueList<string> All<TEnum>()
        where TEnum : struct, Enum => Names<TEnum>.InOrder;

    public static string OfDay(IsoDayOfWeek day) =>
        DayNames.TryGetValue(day, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(day), day, "Not a day of the week.");

    public static bool TryParseDay(string? name, out IsoDayOfWeek day)
    {
        day = IsoDayOfWeek.None;
        return name is not null && DaysByName.TryGetValue(name, out day);
    }

    internal static string SnakeCase(string pascalCase)
    {
        var builder = new StringBuilder(pascalCase.Length + 4);
        for (var i = 0; i < pascalCase.Length; i++)
        {
            var c = pascalCase[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly ValueList<string> InOrder = Enum.GetValues<TEnum>().Select(v => SnakeCase(v.ToString())).ToValueList();

        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => SnakeCase(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> ByName = ByValue.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
    }
}
