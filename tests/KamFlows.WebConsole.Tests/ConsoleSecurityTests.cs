// The console's guards without the look: who is signed in (and from which source), forms that did not come from a
// console page, escaping by construction.
using System.Text;
using Azure.Data.Tables;
using KamFlows.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Web;
using Microsoft.DurableTask.Client;
using Microsoft.Playwright;

namespace KamFlows.WebConsole.Tests;

[Collection(ConsoleTestGroup.Name)]
public sealed class ConsoleSecurityTests(ConsoleFixture console)
{
    [Fact]
    public async Task EasyAuthHeader_WhenTheAppDoesNotTrustIt_SignsNobodyIn()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/portfolio");
        request.Headers.Add(ConsoleIdentity.PrincipalHeader, Principal("hanna@kamflows.example", "head"));

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/console/signin", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(ConsoleApp.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public void EasyAuthPrincipal_EntraClaims_GiveEmailNameAndAppRoles()
    {
        var user = ConsoleIdentity.FromEasyAuth(Principal("Anna@KamFlows.example", "kam", "operator", "unknown-role"));

        Assert.NotNull(user);
        Assert.Equal("Anna@KamFlows.example", user.Email);
        Assert.Equal("Someone", user.Name);
        Assert.Equal(ConsoleRoles.Kam | ConsoleRoles.Operator, user.Roles);
        Assert.True(user.SameEmail("anna@kamflows.example"));
        Assert.Null(ConsoleIdentity.FromEasyAuth("not base64 at all!"));
        Assert.Null(ConsoleIdentity.FromEasyAuth(Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"roles","val":"head"}]}"""))));
    }

    [Fact]
    public async Task Post_WithoutTheFormsAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        const string instance = "account:A-5";
        var op = await console.SignInAsync(ConsoleFixture.Operator, "operator");

        var response = await op.APIRequest.PostAsync("/console/workflows/" + instance + "/suspend", new APIRequestContextOptions
        {
            Form = op.APIRequest.CreateFormData(),
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
        Assert.Contains(Strings.Get("en", "antiforgery_failed"), await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await console.Workflows.GetInstanceAsync(instance))?.RuntimeStatus);
        await op.Context.CloseAsync();
    }

    [Fact]
    public async Task UnknownPathsAndBadIds_AnswerNotFound_WithTheSecurityHeaders()
    {
        var head = await console.SignInAsync(ConsoleFixture.Hanna, "head");

        var unknown = await head.GotoAsync("/console/no-such-page");
        var account = await head.GotoAsync("/console/accounts/NO-SUCH");

        Assert.Equal(404, unknown!.Status);
        Assert.Equal(404, account!.Status);
        var headers = await account.AllHeadersAsync();
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        await head.Context.CloseAsync();
    }

    [Fact]
    public async Task DataProtectionKeys_InStorage_AnotherInstanceReadsWhatOneProtected()
    {
        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), Names.TaskHub("k") + TableKeyRepository.TableName);
        using var first = Instance(table);
        using var second = Instance(table);

        var cookie = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("KamFlows.WebConsole.LocalSignIn.v1").Protect("anna@kamflows.example");

        Assert.Equal("anna@kamflows.example", second.GetRequiredService<IDataProtectionProvider>().CreateProtector("KamFlows.WebConsole.LocalSignIn.v1").Unprotect(cookie));
        Assert.Single(new TableKeyRepository(table).GetAllElements());

        static ServiceProvider Instance(TableClient table)
        {
            var services = new ServiceCollection();
            services.AddDataProtection().SetApplicationName("KamFlows.WebConsole");
            services.Configure<KeyManagementOptions>(o => o.XmlRepository = new TableKeyRepository(table));
            return services.BuildServiceProvider();
        }
    }

    [Fact]
    public void Html_InterpolatedHoles_AreEscaped_OwnMarkupIsNot()
    {
        var name = "<img src=x onerror=alert(1)> & \"quotes\"";
        var html = new Html().Add($"<td title=\"{name}\">{name}</td>{new HtmlString("<b>ok</b>")}{1234.5m}").ToString();

        Assert.Equal("<td title=\"&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;\">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;</td><b>ok</b>1234.5", html);
    }

    [Fact]
    public void Options_TrustingEasyAuthAndOfferingLocalSignIn_AreRefused()
    {
        Assert.NotEmpty(new ConsoleOptions { TrustEasyAuthPrincipal = true, LocalSignIn = true }.Validate());
        Assert.NotEmpty(new ConsoleOptions { DefaultTimeZone = "Mars/Olympus" }.Validate());
        Assert.Empty(new ConsoleOptions { LocalSignIn = true }.Validate());
    }

    [Fact]
    public void Strings_EveryKey_HasAllFourLanguages()
    {
        Assert.True(Strings.Keys.Count > 200);
        foreach (var key in Strings.Keys)
        {
            Assert.All(Viewer.Languages, language => Assert.False(string.IsNullOrWhiteSpace(Strings.Get(language, key))));
        }

        Assert.NotEqual(Strings.Get("en", "portfolio"), Strings.Get("ru", "portfolio"));
    }

    private static string Principal(string email, params string[] roles)
    {
        var claims = new List<string> { $$"""{"typ":"preferred_username","val":"{{email}}"}""", """{"typ":"name","val":"Someone"}""" };
        claims.AddRange(roles.Select(r => $$"""{"typ":"roles","val":"{{r}}"}"""));
        var json = $$"""{"auth_typ":"aad","name_typ":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","role_typ":"http://schemas.microsoft.com/ws/2008/06/identity/claims/role","claims":[{{string.Join(",", claims)}}]}""";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
