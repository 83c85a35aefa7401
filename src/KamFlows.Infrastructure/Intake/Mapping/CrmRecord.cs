namespace KamFlows.Infrastructure.Intake.Mapping;

/// <summary>
/// One change a CRM reported, flattened to named text fields (e.g. <c>propertyName</c>, <c>data.stage_id</c>,
/// <c>data[FIELDS][ID]</c>, <c>cf:512345</c>). <see cref="Id"/> is stable across the CRM's retries of the same change,
/// so the canonical event made from it has the same id and a retry is recognised as a duplicate.
/// <see cref="Index"/> is its position in the request, used in error paths (<c>events[2].data.valid_until</c>).
/// </summary>
public sealed record CrmRecord(int Index, string Id, IReadOnlyDictionary<string, string> Fields);
