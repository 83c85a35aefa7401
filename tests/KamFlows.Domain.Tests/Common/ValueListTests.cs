namespace KamFlows.Domain.Tests.Common;

public sealed class ValueListTests
{
    [Fact]
    public void Equals_SameItemsInOrder_True()
    {
        Assert.Equal(ValueList.Of("a", "b"), new[] { "a", "b" }.ToValueList());
        Assert.Equal(ValueList.Of("a", "b").GetHashCode(), ValueList.Of("a", "b").GetHashCode());
    }

    [Fact]
    public void Equals_DifferentOrderOrItems_False()
    {
        Assert.NotEqual(ValueList.Of("a", "b"), ValueList.Of("b", "a"));
        Assert.NotEqual(ValueList.Of("a"), ValueList.Of("a", "a"));
    }

    [Fact]
    public void Constructor_SourceChangedLater_ListUnchanged()
    {
        var source = new List<int> { 1, 2 };
        var list = source.ToValueList();
        source.Add(3);
        Assert.Equal(2, list.Count);
        Assert.Equal(2, list[1]);
    }

    [Fact]
    public void ToString_Items_CommaSeparatedInBrackets() => Assert.Equal("[1, 2]", ValueList.Of(1, 2).ToString());

    [Fact]
    public void Empty_Any_HasNoItemsAndEqualsOtherEmpty()
    {
        Assert.Empty(ValueList.Empty<int>());
        Assert.Equal(ValueList.Empty<int>(), new List<int>().ToValueList());
    }
}
