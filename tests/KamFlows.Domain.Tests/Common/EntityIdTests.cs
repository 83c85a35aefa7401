namespace KamFlows.Domain.Tests.Common;

public sealed class EntityIdTests
{
    [Theory]
    [InlineData("12345")]
    [InlineData("ACME-2026:P-7")]
    [InlineData("3f2b9c7e-8d1a-4c1e-9f55-0d7b6a3e2c10")]
    public void Problem_UsableId_Null(string id) => Assert.Null(EntityId.Problem(id));

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("   ", "must not be empty")]
    [InlineData(" A1", "must not start or end with whitespace")]
    [InlineData("a/b", "must not contain '/', '\\', '#', '?' or control characters")]
    [InlineData("a\\b", "must not contain '/', '\\', '#', '?' or control characters")]
    [InlineData("a#b", "must not contain '/', '\\', '#', '?' or control characters")]
    [InlineData("a?b", "must not contain '/', '\\', '#', '?' or control characters")]
    [InlineData("a\u0001b", "must not contain '/', '\\', '#', '?' or control characters")]
    public void Problem_UnusableId_Explains(string id, string expected) => Assert.Equal(expected, EntityId.Problem(id));

    [Fact]
    public void Problem_TooLong_Explains()
    {
        Assert.Null(EntityId.Problem(new string('x', 200)));
        Assert.Equal("must be at most 200 characters", EntityId.Problem(new string('x', 201)));
    }

    [Fact]
    public void Require_Invalid_ThrowsNamingTheArgument()
    {
        var id = "a/b";
        var ex = Assert.Throws<ArgumentException>(() => EntityId.Require(id));
        Assert.Equal("id", ex.ParamName);
    }

    [Fact]
    public void RequireOptional_Null_ReturnsNull() => Assert.Null(EntityId.RequireOptional(null));
}
