namespace KamFlows.Domain.Contacts;

/// <summary>The role a person plays in the client's decision-making unit (seeds 000, 001).</summary>
public enum DmuRole
{
    /// <summary>Executive or decision maker; wants exclusivity and proof we understand their business.</summary>
    Executive,

    /// <summary>HR or people-oriented; wants references and similar projects.</summary>
    PeopleOriented,

    /// <summary>Finance; wants numbers.</summary>
    Finance,

    /// <summary>Technical; wants numbers and details.</summary>
    Technical,

    /// <summary>Uses what we deliver.</summary>
    User,

    /// <summary>Shapes the decision without formal power (informal influence).</summary>
    Influencer,
}
