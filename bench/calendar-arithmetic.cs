// Business-day arithmetic with national holidays (docs/benchmarks.md "Calendars"): dotnet run -c Release bench/calendar-arithmetic.cs
#:project ../src/KamFlows.Domain/KamFlows.Domain.csproj
#:property TreatWarningsAsErrors=false
using System.Diagnostics;
using KamFlows.Domain.Calendar;
using NodaTime;

// Business-day arithmetic the workflows do on every plan: 200,000 AddBusinessDays(±1..10) over 2024–2027.
var zone = BusinessCalendar.ZoneFromId("Europe/Moscow");
var crmList = new BusinessCalendar(zone, holidays: NationalHolidays.For("RU")!.Year(2025).DaysOff.Keys); // the old way: a CRM list, no national calendar
var national = BusinessCalendar.ForPerson(zone, "RU");                                                       // the new way: built-in national holidays
var library = BusinessCalendar.ForPerson(BusinessCalendar.ZoneFromId("Europe/Helsinki"), null);
foreach (var (name, cal) in new[] { ("CRM list only", crmList), ("RU data files", national), ("FI PublicHoliday", library) })
{
    var runs = new List<double>();
    for (var r = 0; r < 7; r++)
    {
        var sw = Stopwatch.StartNew();
        var d = new LocalDate(2024, 1, 1);
        long sum = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var x = cal.AddBusinessDays(d.PlusDays(i % 1400), (i % 10) + 1);
            sum += x.Day;
        }
        sw.Stop();
        runs.Add(sw.Elapsed.TotalMilliseconds);
        GC.KeepAlive(sum);
    }
    runs.Sort();
    Console.WriteLine($"{name,-18} median {runs[3]:0.0} ms per 200,000 AddBusinessDays (min {runs[0]:0.0}, max {runs[6]:0.0})");
}
