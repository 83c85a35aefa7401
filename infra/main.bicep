// KamFlows on Azure Functions: a .NET 10 isolated Durable Functions app on Flex Consumption, deployed with `azd up`.
// See infra/README.md.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Primary location for all resources; must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user (azd passes AZURE_PRINCIPAL_ID). Gets storage data and Key Vault Secrets Officer roles for local runs against Azure. Empty skips them.')
param principalId string = ''

@description('Kind of principal principalId is; use ServicePrincipal when a CI identity provisions.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Memory of each Function App instance in MB (Flex Consumption instance size).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the Function App scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Sender address of KamFlows e-mail (KamFlows__Email__FromAddress).')
param emailFromAddress string = ''

@description('Client id of the Entra ID app registration for the web console\'s sign-in (app roles kam, head, operator). Empty: the console has no sign-in.')
param consoleAuthClientId string = ''

@description('Optional name of the resource group; defaults to rg-<environmentName>.')
param resourceGroupName string = ''

@secure()
@description('SendGrid API key. Empty: the Key Vault secret sendgrid-api-key is left as it is (set it later).')
param sendGridApiKey string = ''

@secure()
@description('Key for the management API (KamFlows__Api__Keys__0). Empty: secret management-api-key is left as it is.')
param managementApiKey string = ''

@secure()
@description('Signing secret of the canonical events webhook. Empty: left as it is.')
param webhookSecretEvents string = ''

@secure()
@description('HubSpot webhook secret. Empty: left as it is.')
param webhookSecretHubspot string = ''

@secure()
@description('Pipedrive webhook secret. Empty: left as it is.')
param webhookSecretPipedrive string = ''

@secure()
@description('Bitrix24 webhook secret. Empty: left as it is.')
param webhookSecretBitrix24 string = ''

@secure()
@description('amoCRM webhook secret. Empty: left as it is.')
param webhookSecretAmocrm string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var functionAppName = '${abbrs.webSitesFunctions}kamflows-${resourceToken}'
// Flex Consumption runs the app from a package in this blob container.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}kamflows-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module keyVault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    secretValues: {
      'sendgrid-api-key': sendGridApiKey
      'management-api-key': managementApiKey
      'webhook-secret-events': webhookSecretEvents
      'webhook-secret-hubspot': webhookSecretHubspot
      'webhook-secret-pipedrive': webhookSecretPipedrive
      'webhook-secret-bitrix24': webhookSecretBitrix24
      'webhook-secret-amocrm': webhookSecretAmocrm
    }
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appIdentityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module plan 'app/plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
  }
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: union(tags, {
      'azd-service-name': 'api'
    })
    appServicePlanId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    keyVaultUri: keyVault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    emailFromAddress: emailFromAddress
    consoleAuthClientId: consoleAuthClientId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The platform reads the package, and the host storage and Key Vault, on the first start: grant the roles first.
  dependsOn: [
    rbac
  ]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output KAMFLOWS_CONSOLE_URI string = '${api.outputs.uri}/api/console/'
output KAMFLOWS_CONSOLE_REDIRECT_URI string = '${api.outputs.uri}/.auth/login/aad/callback'
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
