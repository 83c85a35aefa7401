global using System.Diagnostics.CodeAnalysis;
global using System.Runtime.CompilerServices;
global using NodaTime;
global using KamFlows.Domain.Common;
