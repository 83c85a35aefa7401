using KamFlows.DevStorage;

namespace KamFlows.Infrastructure.Tests.Intake;

internal static class Samples
{
    public static string Mapping(string crm) => Path.Combine(RepositoryRoot.Find(), "samples", "mappings", crm + ".json");
}
