namespace KamFlows.Domain.Sales;

public enum TenderOutcome
{
    Won,
    Lost,
    Cancelled,
}
