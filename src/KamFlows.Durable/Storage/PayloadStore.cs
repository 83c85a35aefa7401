using Azure;
using Azure.Storage.Blobs;

namespace KamFlows.Durable.Storage;

/// <summary>
/// Keeps payloads too large for a table property (64 KiB) in blobs; rows then hold "@blob:{name}".
/// Valid JSON never starts with '@', so a reference is never mistaken for a payload.
/// Blobs are written before the row that references them: an orphan blob is harmless, a dangling reference is not.
/// </summary>
internal sealed class PayloadStore(BlobContainerClient container, int maxInlineChars)
{
    private const string Marker = "@blob:";

    public int MaxInlineChars => maxInlineChars;

    public static bool IsReference(string? value) => value is not null && value.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>Returns the value itself, or a reference to a blob now holding it.</summary>
    public async Task<string?> OffloadAsync(string partitionKey, string? value, CancellationToken cancellationToken)
    {
        if (value is null || value.Length <= maxInlineChars || IsReference(value))
        {
            return value;
        }

        var name = $"{partitionKey}/{Guid.NewGuid():N}";
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(value), overwrite: true, cancellationToken).ConfigureAwait(false);
        return Marker + name;
    }

    /// <summary>Returns the payload a value stands for (downloading it if it is a reference).</summary>
    public async Task<string?> ResolveAsync(string? value, CancellationToken cancellationToken)
    {
        if (!IsReference(value))
        {
            return value;
        }

        var name = value![Marker.Length..];
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new InvalidDataException($"Payload blob '{name}' referenced from history is missing.", ex);
        }
    }

    /// <summary>Deletes every payload blob of a partition (on purge).</summary>
    public async Task DeleteAllAsync(string partitionKey, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, partitionKey + "/", cancellationToken).ConfigureAwait(false))
        {
            await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
