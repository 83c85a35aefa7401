using System.Text.Json;

namespace KamFlows.Domain.Events;

/// <summary>
/// Validates a CloudEvents 1.0 structured-mode JSON event and types its data. Strict on purpose: the same JSON
/// comes from webhooks, simulator scenarios and tests, and a wrong field must be refused with its path, not guessed.
/// <para>Envelope rules: <c>specversion</c> "1.0"; <c>id</c> an identifier (see <see cref="EntityId"/>); <c>source</c> a
/// URI-reference; <c>type</c> one of <see cref="CanonicalEventTypes.All"/>; <c>time</c> required (our rule; optional in
/// CloudEvents), RFC 3339 with offset; <c>subject</c> optional; <c>datacontenttype</c> absent or application/json;
/// <c>dataschema</c> optional absolute URI; <c>data</c> a JSON object (no <c>data_base64</c>); other attributes must be
/// extension attributes (lower-case letters and digits) with string, number or boolean values; null means absent.</para>
/// <para>Data rules: members in snake_case, all required ones present, no unknown or duplicated members, dates
/// <c>yyyy-MM-dd</c>, timestamps RFC 3339 with offset, money <c>{"amount": number ≥ 0, "currency": ISO 4217}</c>,
/// enums by their <see cref="WireName"/>, list members distinct, plus each event's cross-field rules.</para>
/// Every problem is reported, not just the first.
/// </summary>
public static class CanonicalEventParser
{
    private static readonly byte[] Utf8ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,
    };

    public static CanonicalEventParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    public static CanonicalEventParseResult Parse(ReadOnlyMemory<byte> utf8Json)
    {
        // Some HTTP clients prefix UTF-8 bodies with a byte-order mark, which the JSON reader would refuse.
        if (utf8Json.Span.StartsWith(Utf8ByteOrderMark))
        {
            utf8Json = utf8Json[Utf8ByteOrderMark.Length..];
        }

        // The JSON reader checks UTF-8 inside strings only when a string is read, and then throws: check it here.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            return CanonicalEventParseResult.Invalid([new EventValidationError("$", "is not valid UTF-8")]);
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            return InvalidJson(ex);
        }
    }

    /// <summary>
    /// Validates one event already parsed as JSON. <paramref name="path"/> prefixes every error path, e.g.
    /// <c>events[3]</c> for the fourth event of a scenario file gives <c>events[3].data.valid_until</c>.
    /// The returned event does not reference <paramref name="element"/>.
    /// </summary>
    public static CanonicalEventParseResult Parse(JsonElement element, string path = "")
    {
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<EventValidationError>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            return CanonicalEventParseResult.Invalid([new EventValidationError(path.Length == 0 ? "$" : path, "must be a JSON object (one CloudEvent in structured mode)")]);
        }

        var root = JsonFieldReader.ForObject(element, path, errors, eventTime: null)!;

        var specVersion = root.RequiredName("specversion");
        if (specVersion.Length > 0 && specVersion != CanonicalEvent.CloudEventsSpecVersion)
        {
            root.Error("specversion", $"must be '{CanonicalEvent.CloudEventsSpecVersion}' (got '{specVersion}')");
        }

        var id = root.RequiredId("id");
        var source = root.RequiredName("source");
        if (source.Length > 0 && !Uri.TryCreate(source, UriKind.RelativeOrAbsolute, out _))
        {
            root.Error("source", $"must be a URI-reference such as /crm/hubspot (got '{source}')");
        }

        var type = root.RequiredName("type");
        var reader = type.Length > 0 ? CanonicalEventTypes.ReaderFor(type) : null;
        if (type.Length > 0 && reader is null)
        {
            root.Error("type", $"unknown event type '{type}'");
        }

        var timeErrors = errors.Count;
        var time = root.RequiredTimestamp("time");
        var timeIsValid = errors.Count == timeErrors;
        var subject = root.OptionalName("subject");
        var contentType = root.OptionalName("datacontenttype");
        if (contentType is not null && !IsJsonMediaType(contentType))
        {
            root.Error("datacontenttype", $"must be application/json (got '{contentType}')");
        }

        var dataSchema = ReadDataSchema(root);
        if (root.TryGetRaw("data_base64", required: false, out _))
        {
            root.Error("data_base64", "binary data is not accepted; send the event data as a JSON object in data");
        }

        ICanonicalEventData? data = null;
        if (root.TryGetRaw("data", required: true, out var dataElement)
            && JsonFieldReader.ForObject(dataElement, root.PathOf("data"), errors, timeIsValid ? time : null) is { } dataReader
            && reader is not null)
        {
            data = reader(dataReader);
            dataReader.Finish();
        }

        var extensions = new List<CloudEventExtension>();
        root.Finish(property => ReadExtension(root, property, extensions));

        if (errors.Count > 0 || data is null)
        {
            return CanonicalEventParseResult.Invalid(errors);
        }

        return CanonicalEventParseResult.Valid(new CanonicalEvent
        {
            Id = id,
            Source = source,
            Time = time,
            Subject = subject,
            DataSchema = dataSchema,
            Data = data,
            Extensions = extensions.ToValueList(),
        });
    }

    /// <summary>Parses or throws <see cref="FormatException"/> listing every error; for trusted inputs such as test fixtures.</summary>
    public static CanonicalEvent ParseOrThrow(string json)
    {
        var result = Parse(json);
        return result.IsValid ? result.Event : throw new FormatException("Invalid canonical event: " + string.Join("; ", result.Errors));
    }

    private static CanonicalEventParseResult InvalidJson(JsonException ex) =>
        CanonicalEventParseResult.Invalid([new EventValidationError("$", "is not valid JSON: " + ex.Message)]);

    private static bool IsJsonMediaType(string contentType)
    {
        var mediaType = contentType.Split(';')[0].Trim();
        return string.Equals(mediaType, CanonicalEvent.JsonContentType, StringComparison.OrdinalIgnoreCase);
    }

    private static Uri? ReadDataSchema(JsonFieldReader root)
    {
        var text = root.OptionalName("dataschema");
        if (text is null)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        root.Error("dataschema", $"must be an absolute URI (got '{text}')");
        return null;
    }

    private static void ReadExtension(JsonFieldReader root, JsonProperty property, List<CloudEventExtension> extensions)
    {
        var name = property.Name;
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            var hint = name.Contains('_', StringComparison.Ordinal) ? "; event fields belong inside data" : string.Empty;
            root.Error(name, $"unknown attribute (CloudEvents extension names are lower-case letters and digits only{hint})");
            return;
        }

        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                extensions.Add(new CloudEventExtension(name, property.Value.GetRawText()));
                return;
            default:
                root.Error(name, "an extension attribute must be a string, number or boolean");
                return;
        }
    }
}
