// The sender's crash probe and the template internals are exercised by the tests.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("KamFlows.Infrastructure.Tests")]
