// Flex Consumption plan (FC1): Linux, scale to zero, per-function scaling, identity-only storage.
// Why this plan: see infra/README.md ("Hosting plan"). One app per Flex Consumption plan.

@description('Hosting plan name.')
param name string

@description('Azure region (must offer Flex Consumption: az functionapp list-flexconsumption-locations).')
param location string

@description('Tags for the plan.')
param tags object = {}

@description('Spread instances over availability zones (needs a zone-redundant storage account and at least 2 always-ready instances).')
param zoneRedundant bool = false

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux.
    reserved: true
    zoneRedundant: zoneRedundant
  }
}

output id string = plan.id
output name string = plan.name
