namespace KamFlows.Infrastructure.Storage;

/// <summary>
/// Where KamFlows keeps its state (section <c>KamFlows:Storage</c>). One of: a connection string; the three service
/// URIs (managed identity in Azure, <see cref="ClientId"/> for a user-assigned one); or nothing, in which case a
/// local run starts the embedded Azurite.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "KamFlows:Storage";

    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity (Azure); empty uses the default credential chain.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix of every table, queue and container (letters and digits).</summary>
    public string TaskHub { get; set; } = "kamflows";

    /// <summary>Embedded Azurite's data folder; default <c>.kamflows/azurite</c> in the repository.</summary>
    public string? AzuriteDataFolder { get; set; }

    /// <summary>Keep the embedded Azurite in memory (nothing persisted).</summary>
    public bool AzuriteInMemory { get; set; }

    public bool UsesServiceUris => TableServiceUri is not null || QueueServiceUri is not null || BlobServiceUri is not null;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || UsesServiceUris;
}
