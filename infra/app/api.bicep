// The KamFlows Function App: src/KamFlows.Functions, a .NET 10 isolated-worker Durable Functions app on Flex
// Consumption. The runtime is declared in functionAppConfig (Flex rejects FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION as app settings); the package is deployed to a blob container and read with the
// user-assigned identity. Every connection uses that identity; every secret is a Key Vault reference.

@description('Function App name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the app; must include azd-service-name so `azd deploy` finds it.')
param tags object

@description('Resource id of the Flex Consumption plan.')
param appServicePlanId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (AzureWebJobsStorage, Key Vault references and Azure.Identity in the app).')
param identityClientId string

@description('Name of the storage account: host storage, the Durable Task hub and KamFlows\' tables.')
param storageAccountName string

@description('Blob endpoint of the storage account, e.g. https://<account>.blob.core.windows.net/.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('Blob container (in that account) holding the deployment package.')
param deploymentContainerName string

@description('Key Vault URI, ending in a slash, e.g. https://<vault>.vault.azure.net/.')
param keyVaultUri string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Client id of the Entra ID app registration that signs people in to the web console (App Service Authentication). Empty: no sign-in, the console answers 401.')
param consoleAuthClientId string = ''

@description('Tenant of that app registration.')
param consoleAuthTenantId string = tenant().tenantId

@description('Sender address for KamFlows e-mail (KamFlows__Email__FromAddress).')
param emailFromAddress string

@description('Task hub name: the Durable Task hub (host.json hubName is %KamFlows__Storage__TaskHub%) and the prefix of KamFlows\' own tables. 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'kamflows'

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Instances kept warm for the durable group (orchestrator and activity triggers); the Durable Functions guidance for Flex Consumption is 1.')
@minValue(0)
param durableAlwaysReadyInstances int = 1

// Must match the TargetFramework of src/KamFlows.Functions (net10.0).
var dotnetVersion = '10.0'

// The address CRMs call and unsubscribe links point at. HubSpot signs the full URL, and behind the Functions host the
// app does not see the public scheme and host itself. A custom domain replaces it (see infra/README.md).
var publicBaseUrl = 'https://${name}.azurewebsites.net'

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
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Key Vault references resolve with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: durableAlwaysReadyInstances > 0
          ? [
              {
                name: 'durable'
                instanceCount: durableAlwaysReadyInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage and the Durable Task hub (connectionName "AzureWebJobsStorage") through the identity: no keys.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
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
          name: 'KamFlows__Storage__TaskHub'
          value: taskHubName
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
          name: 'KamFlows__Email__PublicBaseUrl'
          value: publicBaseUrl
        }
        {
          name: 'KamFlows__Webhooks__PublicBaseUrl'
          value: publicBaseUrl
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
        // The web console trusts X-MS-CLIENT-PRINCIPAL only when App Service Authentication fronts the app (authsettingsV2 below).
        {
          name: 'KamFlows__Console__TrustEasyAuthPrincipal'
          value: empty(consoleAuthClientId) ? 'false' : 'true'
        }
        {
          name: 'KamFlows__Console__LocalSignIn'
          value: 'false'
        }
        // CRM field mappings shipped in the package (src/KamFlows.Functions copies samples/mappings/*.json to mappings/).
        {
          name: 'KamFlows__Webhooks__Mappings__hubspot'
          value: 'mappings/hubspot.json'
        }
        {
          name: 'KamFlows__Webhooks__Mappings__pipedrive'
          value: 'mappings/pipedrive.json'
        }
        {
          name: 'KamFlows__Webhooks__Mappings__bitrix24'
          value: 'mappings/bitrix24.json'
        }
        {
          name: 'KamFlows__Webhooks__Mappings__amocrm'
          value: 'mappings/amocrm.json'
        }
      ]
    }
  }
}

// App Service Authentication with Microsoft Entra ID for the web console. Requests without a session pass through
// (webhooks sign, the management API has its key); the console sends people to /.auth/login/aad and reads the principal
// App Service passes, whose app roles (kam, head, operator) are defined on the app registration (infra/README.md).
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(consoleAuthClientId)) {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleAuthClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${consoleAuthTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${consoleAuthClientId}'
            consoleAuthClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output id string = functionApp.id
output name string = functionApp.name
output uri string = 'https://${functionApp.properties.defaultHostName}'
