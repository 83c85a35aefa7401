global using KamFlows.Workflows.Notifications;
global using KamFlows.Workflows.Tests.Support;
global using static KamFlows.Workflows.Tests.Support.Fixture;
