global using KamFlows.Domain.Common;
global using NodaTime;
