// Key Vault for the SendGrid key, the webhook signing secrets and the management API key.
// Access is RBAC only. Secrets are written only when a value is supplied; empty values are skipped so a
// re-provision never overwrites a secret someone set with `az keyvault secret set`.

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the vault.')
param tags object = {}

@description('Secret name to value. Entries with an empty value are not created.')
@secure()
param secretValues object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in items(secretValues): if (!empty(secret.value)) {
    parent: vault
    name: secret.key
    properties: {
      value: secret.value
    }
  }
]

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
