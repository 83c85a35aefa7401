namespace KamFlows.Domain.Accounts;

/// <summary>The seven kinds of bond that hold a key client (seed 002).</summary>
public enum BondKind
{
    /// <summary>Technology lock-in; fragile.</summary>
    Structural,

    /// <summary>Attachment to our brand.</summary>
    Brand,

    /// <summary>Attitude to the company as a whole.</summary>
    Attitude,

    /// <summary>Personal relationships: cheapest, most durable, hardest for competitors to break.</summary>
    Personal,

    /// <summary>Regular analyses and advice sent to the client; under-used.</summary>
    InformationAndControl,

    /// <summary>Individual terms; often only "expensive" for us and a source of losses.</summary>
    Value,

    /// <summary>We are the only supplier.</summary>
    ZeroChoice,
}
