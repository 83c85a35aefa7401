using Microsoft.Extensions.Options;

namespace KamFlows.Api;

/// <summary>Options validation from a method that lists problems (each naming its key).</summary>
internal sealed class DelegateValidator<T>(Func<T, IReadOnlyList<string>> validate) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var errors = validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
