namespace KamFlows.Domain.Portfolio;

/// <summary>Pareto class of an account by its contribution to revenue.</summary>
public enum AbcClass
{
    A,
    B,
    C,
}
