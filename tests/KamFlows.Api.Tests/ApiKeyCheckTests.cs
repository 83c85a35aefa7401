using KamFlows.Api.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KamFlows.Api.Tests;

/// <summary>The one API-key check both hosts apply: the local host as an endpoint filter, the Functions app in every protected trigger.</summary>
public sealed class ApiKeyCheckTests
{
    private const string Current = "current-key-0123456789abcdef";
    private const string Rotated = "rotated-key-0123456789abcdef";

    [Theory]
    [InlineData(Current)]
    [InlineData(Rotated)]
    [InlineData("  " + Current + "  ")]
    public void Refuse_AConfiguredKey_LetsTheRequestThrough(string presented)
    {
        var check = Check(Current, Rotated);

        Assert.Null(check.Refuse(Request(presented.Trim())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Current + "x")]
    [InlineData("current-key")]
    public void Refuse_MissingOrWrongKey_Is401NotAuthenticated(string? presented)
    {
        var refused = Check(Current).Refuse(Request(presented));

        var problem = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(refused);
        Assert.Equal(StatusCodes.Status401Unauthorized, problem.StatusCode);
        Assert.Equal("Not authenticated", problem.ProblemDetails.Title);
    }

    [Fact]
    public void Refuse_NoKeyConfigured_LocksTheApiAndSaysWhichSettingOpensIt()
    {
        var refused = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(Check().Refuse(Request(Current)));

        Assert.Equal(StatusCodes.Status401Unauthorized, refused.StatusCode);
        Assert.Contains("KamFlows:Api:Keys:0", refused.ProblemDetails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtectAsync_WithAKey_RunsTheHandler_WithoutOne_DoesNot()
    {
        var calls = 0;
        Task<IResult> Handler(HttpContext http)
        {
            calls++;
            return Task.FromResult(Results.Ok());
        }

        var passed = await ApiKeyCheck.ProtectAsync(Request(Current, Current), Handler);
        var refused = await ApiKeyCheck.ProtectAsync(Request("wrong-key-0123456789", Current), Handler);

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(passed).StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, Assert.IsAssignableFrom<IStatusCodeHttpResult>(refused).StatusCode);
        Assert.Equal(1, calls);
    }

    private static ApiKeyCheck Check(params string[] keys) => new(Options.Create(new ApiOptions { Keys = [.. keys] }));

    private static HttpRequest Request(string? key, params string[] configured)
    {
        var services = new ServiceCollection().AddSingleton(Check(configured)).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        if (key is not null)
        {
            http.Request.Headers[ApiOptions.HeaderName] = key;
        }

        return http.Request;
    }
}
