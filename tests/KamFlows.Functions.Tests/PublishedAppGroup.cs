namespace KamFlows.Functions.Tests;

/// <summary>One publish of the app for every test class that reads the package (publishing takes a while).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedAppGroup : ICollectionFixture<PublishedFunctionsApp>
{
    public const string Name = "Published Functions app";
}
