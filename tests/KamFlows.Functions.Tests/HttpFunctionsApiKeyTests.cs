using System.Reflection;
using KamFlows.Api.Management;
using KamFlows.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Functions.Tests;

/// <summary>
/// The API-key check in the Functions app: every HTTP function but the public ones refuses a request without the key
/// or with a wrong one before it touches anything (the local host's tests check the same for its routes).
/// </summary>
public sealed class HttpFunctionsApiKeyTests
{
    private const string Key = "functions-test-api-key-0123456789";

    /// <summary>Open by design: webhooks authenticate by signature, unsubscribe links are signed, the web console signs people in (Entra ID); health needs the key.</summary>
    private static readonly string[] Public = ["Console", "ReceiveWebhook", "Unsubscribe"];

    public static TheoryData<string> ProtectedFunctions() => new(HttpFunctions().Keys.Except(Public).Order(StringComparer.Ordinal));

    [Fact]
    public void HttpFunctions_PublicOnes_AreExactlyWebhooksAndUnsubscribe()
    {
        var functions = HttpFunctions().Keys.ToList();

        Assert.All(Public, name => Assert.Contains(name, functions));
        Assert.True(functions.Count > Public.Length + 15, $"Only {functions.Count} HTTP functions: {string.Join(", ", functions)}.");
    }

    [Theory]
    [MemberData(nameof(ProtectedFunctions))]
    public async Task ProtectedFunction_WithoutOrWithAWrongKey_Answers401(string function)
    {
        var none = await InvokeAsync(function, presentedKey: null);
        var wrong = await InvokeAsync(function, presentedKey: Key + "x");

        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(none).StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(wrong).StatusCode);
    }

    [Fact]
    public async Task ProtectedFunction_WithTheKey_ReachesItsHandler()
    {
        // GetRecipient's handler needs the recipient directory, which this bare container lacks: reaching it is the point.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => InvokeAsync("GetRecipient", presentedKey: Key));

        Assert.Contains("RecipientDirectory", ex.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, MethodInfo> HttpFunctions() =>
        typeof(ManagementFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null))
            .ToDictionary(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);

    private static async Task<IResult> InvokeAsync(string function, string? presentedKey)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KamFlows:Api:Keys:0"] = Key }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section));
        services.AddSingleton<ApiKeyCheck>();
        await using var provider = services.BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = provider };
        http.Request.Method = "GET";
        if (presentedKey is not null)
        {
            http.Request.Headers[ApiOptions.HeaderName] = presentedKey;
        }

        var method = HttpFunctions()[function];
        var arguments = method.GetParameters().Select(p => p.ParameterType == typeof(HttpRequest) ? http.Request : p.ParameterType == typeof(string) ? (object)"x" : null).ToArray();
        var result = method.Invoke(null, arguments);
        return result is Task<IResult> task ? await task : (IResult)result!;
    }
}
