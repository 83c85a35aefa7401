using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KamFlows.Domain.Events;

/// <summary>
/// Writes canonical events as CloudEvents 1.0 structured JSON (attributes, then <c>data</c> in snake_case),
/// the same JSON <see cref="CanonicalEventParser"/> accepts, so written events always parse back equal.
/// </summary>
public static class CanonicalEventJson
{
    // Relaxed escaping keeps '+' in offsets and Cyrillic names readable in scenario files; the output is JSON
    // consumed as JSON, never spliced into HTML, which is the only place the default's extra escaping protects.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static string Serialize(CanonicalEvent canonicalEvent, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, indented ? Indented : Compact))
        {
            Write(writer, canonicalEvent);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        writer.WriteStartObject();
        writer.WriteString("specversion", CanonicalEvent.CloudEventsSpecVersion);
        writer.WriteString("id", canonicalEvent.Id);
        writer.WriteString("source", canonicalEvent.Source);
        writer.WriteString("type", canonicalEvent.Type);
        writer.WriteString("time", JsonText.Format(canonicalEvent.Time));
        if (canonicalEvent.Subject is not null)
        {
            writer.WriteString("subject", canonicalEvent.Subject);
        }

        writer.WriteString("datacontenttype", CanonicalEvent.JsonContentType);
        if (canonicalEvent.DataSchema is not null)
        {
            writer.WriteString("dataschema", canonicalEvent.DataSchema.OriginalString);
        }

        foreach (var extension in canonicalEvent.Extensions)
        {
            writer.WritePropertyName(extension.Name);
            writer.WriteRawValue(extension.JsonValue);
        }

        writer.WritePropertyName("data");
        WriteData(writer, canonicalEvent.Data);
        writer.WriteEndObject();
    }

    /// <summary>Just the <c>data</c> object of an event.</summary>
    public static void WriteData(Utf8JsonWriter writer, ICanonicalEventData data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        writer.WriteStartObject();
        data.Write(new JsonDataWriter(writer));
        writer.WriteEndObject();
    }

    /// <summary>The event as an envelope whose <c>data</c> is JSON.</summary>
    public static CloudEventEnvelope ToEnvelope(this CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Compact))
        {
            WriteData(writer, canonicalEvent.Data);
        }

        using var document = JsonDocument.Parse(stream.ToArray());
        return new CloudEventEnvelope(
            canonicalEvent.Id,
            canonicalEvent.Source,
            canonicalEvent.Type,
            canonicalEvent.Time,
            document.RootElement.Clone(),
            canonicalEvent.Subject,
            canonicalEvent.DataSchema);
    }

    /// <summary>Writes an envelope as structured JSON (to hand to <see cref="CanonicalEventParser"/> or send over HTTP).</summary>
    public static string Serialize(CloudEventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", CanonicalEvent.CloudEventsSpecVersion);
            writer.WriteString("id", envelope.Id);
            writer.WriteString("source", envelope.Source);
            writer.WriteString("type", envelope.Type);
            writer.WriteString("time", JsonText.Format(envelope.Time));
            if (envelope.Subject is not null)
            {
                writer.WriteString("subject", envelope.Subject);
            }

            writer.WriteString("datacontenttype", CanonicalEvent.JsonContentType);
            if (envelope.DataSchema is not null)
            {
                writer.WriteString("dataschema", envelope.DataSchema.OriginalString);
            }

            writer.WritePropertyName("data");
            envelope.Data.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
