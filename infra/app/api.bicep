// The KamFlows Function App: the KamFlows.Host executable started by the Functions host as a custom
// handler (FUNCTIONS_WORKER_RUNTIME=custom, host.json customHandler section). Every connection uses the
// user-assigned identity; every secret is a Key Vault reference.

@description('Function App name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the app; must include azd-service-name so `azd deploy` finds it.')
param tags object

@description('Resource id of the App Service plan.')
param appServicePlanId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for AzureWebJobsStorage and Azure.Identity in the app).')
param identityClientId string

@description('Blob endpoint of the storage account, e.g. https://<account>.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('Key Vault URI, ending in a slash, e.g. https://<vault>.vault.azure.net/.')
param keyVaultUri string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Sender address for KamFlows e-mail (KamFlows__Email__FromAddress).')
param emailFromAddress string

@description('.NET version of the platform image. The image provides the ASP.NET Core shared runtime the framework-dependent KamFlows.Host needs.')
param dotnetVersion string = '10.0'

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: appServicePlanId
    reserved: true
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    // Key Vault references resolve with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|${dotnetVersion}'
      // On a Dedicated plan the host idles without Always On and only HTTP wakes it: timers and queues stop.
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'custom'
        }
        // Host storage through the identity: no AzureWebJobsStorage connection string.
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storageBlobEndpoint
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storageQueueEndpoint
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storageTableEndpoint
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        // DefaultAzureCredential/ManagedIdentityCredential in the app pick the user-assigned identity.
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsightsConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'OTEL_SERVICE_NAME'
          value: 'kamflows'
        }
        {
          name: 'KamFlows__Storage__BlobServiceUri'
          value: storageBlobEndpoint
        }
        {
          name: 'KamFlows__Storage__QueueServiceUri'
          value: storageQueueEndpoint
        }
        {
          name: 'KamFlows__Storage__TableServiceUri'
          value: storageTableEndpoint
        }
        {
          name: 'KamFlows__Storage__ClientId'
          value: identityClientId
        }
        {
          name: 'KamFlows__Email__FromAddress'
          value: emailFromAddress
        }
        {
          name: 'KamFlows__Email__SendGridApiKey'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/sendgrid-api-key/)'
        }
        {
          name: 'KamFlows__Api__Keys__0'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/management-api-key/)'
        }
        {
          name: 'KamFlows__Webhooks__Secrets__events'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-events/)'
        }
        {
          name: 'KamFlows__Webhooks__Secrets__hubspot'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-hubspot/)'
        }
        {
          name: 'KamFlows__Webhooks__Secrets__pipedrive'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-pipedrive/)'
        }
        {
          name: 'KamFlows__Webhooks__Secrets__bitrix24'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-bitrix24/)'
        }
        {
          name: 'KamFlows__Webhooks__Secrets__amocrm'
          value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/webhook-secret-amocrm/)'
        }
      ]
    }
  }
}

// azd deploys with an Entra ID token, so publishing with user/password credentials stays off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output id string = functionApp.id
output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
