// Dedicated (App Service) Linux plan. Why not Consumption, Flex Consumption or Elastic Premium:
// see infra/README.md ("Hosting plan").

@description('App Service plan name.')
param name string

@description('Azure region.')
param location string

@description('Tags for the plan.')
param tags object = {}

@description('Dedicated SKU. Basic and up support Always On, which timer and queue triggers need on this plan.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
  'P1mv3'
])
param skuName string = 'B1'

@description('Number of instances.')
@minValue(1)
param capacity int = 1

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    // Linux plan.
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
