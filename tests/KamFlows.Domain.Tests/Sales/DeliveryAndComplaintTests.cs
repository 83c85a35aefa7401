using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Sales;

public sealed class DeliveryAndComplaintTests
{
    private static Delivery Delivered(bool onTime = true, bool expectationsMet = true) =>
        new("D-5", "ACME", Stamp("2026-05-04T16:00:00+03:00"), onTime, expectationsMet, "K-1");

    private static Complaint Complaint(string accountId = "ACME") => new("CP-1", accountId, Stamp("2026-05-06T09:00:00+03:00"), "D-5", "Two pallets damaged");

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    public void IsSuccessful_OnTimeAndExpectations_BothNeeded(bool onTime, bool met, bool expected) =>
        Assert.Equal(expected, Delivered(onTime, met).IsSuccessful);

    [Fact]
    public void IsReadyForReferenceRequest_FourteenDaysNoComplaint_True()
    {
        Assert.False(Delivered().IsReadyForReferenceRequest(At("2026-05-18T12:59:59Z"), []));
        Assert.True(Delivered().IsReadyForReferenceRequest(At("2026-05-18T13:00:00Z"), []));
    }

    [Fact]
    public void IsReadyForReferenceRequest_OpenComplaint_False() =>
        Assert.False(Delivered().IsReadyForReferenceRequest(At("2026-06-01T00:00:00Z"), [Complaint()]));

    [Fact]
    public void IsReadyForReferenceRequest_ComplaintResolved_True() =>
        Assert.True(Delivered().IsReadyForReferenceRequest(At("2026-06-01T00:00:00Z"), [Complaint().Resolve(Stamp("2026-05-07T12:00:00+03:00"))]));

    [Fact]
    public void IsReadyForReferenceRequest_OpenComplaintOfOtherAccount_Ignored() =>
        Assert.True(Delivered().IsReadyForReferenceRequest(At("2026-06-01T00:00:00Z"), [Complaint("OTHER")]));

    [Fact]
    public void IsReadyForReferenceRequest_LateDelivery_False() =>
        Assert.False(Delivered(onTime: false).IsReadyForReferenceRequest(At("2026-06-01T00:00:00Z"), []));

    [Fact]
    public void Resolve_OpenComplaint_ResolvedWithDuration()
    {
        var resolved = Complaint().Resolve(Stamp("2026-05-07T12:30:00+03:00"), "Replaced");

        Assert.False(resolved.IsOpen);
        Assert.Equal("Replaced", resolved.Resolution);
        Assert.Equal(Duration.FromMinutes((27 * 60) + 30), resolved.TimeToResolve);
        Assert.Null(Complaint().TimeToResolve);
    }

    [Fact]
    public void Resolve_Twice_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Complaint().Resolve(Stamp("2026-05-07T12:00:00+03:00")).Resolve(Stamp("2026-05-08T12:00:00+03:00")));

    [Fact]
    public void Resolve_BeforeOpened_Throws() =>
        Assert.Throws<ArgumentException>(() => Complaint().Resolve(Stamp("2026-05-05T12:00:00+03:00")));
}
