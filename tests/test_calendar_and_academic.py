"""Measures counted in calendar or academic years in a financial-year report: their periods, labels,
targets, previous year, trend and checks; and tests/projects/calendar-and-academic.

The project is built as at 31.12.17. Its figures, worked out from data/results.csv by hand:

- recorded-crime (annual, calendar): the calendar year 2017 ended on the report date, so its 51.2
  is current; the 2017 target 52: green (lower is better). The previous year is 2016, the year
  before the one holding 31.12.17: 53.4, so better than 2016.
- antisocial-behaviour (monthly, calendar): Dec 2017 275 against 300: green; Dec 2016 290: better;
  the previous-year column sums 2016's months: 3,955. Its trend is Jan–Dec 2017.
- violent-crime (quarterly, calendar): Oct–Dec 2017 4.3; the key Q4 2017 gives 4.2: red; 2016 ends
  with Oct–Dec 2016, 4.8.
- ks2-expected (annual, academic): 2016/17 (Sep 2016–Aug 2017) is the latest ended: 61 against 62,
  within its tolerance of 2: amber. The report date is in 2017/18, so the previous-year column is
  2016/17 (academic), 61; direction of travel compares with 2015/16 (academic), 53: better.
- persistent-absence (monthly, year_start_month 9): Dec 2017 10.9 against 10: red; the explicit row
  2016/17 (11.1) is that academic year's outturn; the trend is Sep–Dec 2017.
- children-in-need (monthly, financial): as any financial measure: 317 against 320, 2016/17's 331.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scorecard_testing import (
    CATALOGUE,
    PROJECTS,
    assert_clean,
    assert_invalid,
    copy_project,
    invoke,
    measure,
    write_project,
)

from ncc_scorecard.calculator import compute_measure
from ncc_scorecard.catalogue import Measure
from ncc_scorecard.periods import (
    FinancialYear,
    LabelStyle,
    Period,
    PeriodError,
    Years,
    fit_period,
    iso_week,
    month_index,
    parse_period,
    period_label,
    period_text,
)
from ncc_scorecard.results import Result

AS_AT = "2017-12-31"
NAME = "calendar-and-academic"
ROOT = Path(__file__).resolve().parent.parent
CALENDAR, ACADEMIC = Years(1, 4), Years(9, 4)


def year(first_year: int, start_month: int) -> Period:
    return FinancialYear(first_year, start_month).period


def month(year_: int, number: int, months: int = 1) -> Period:
    return Period(month_index(year_, number), months)


# --- periods and labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "years", "natural", "first_month"),
    [
        (year(2017, 1), CALENDAR, "2017", "Jan 2017"),
        (year(2016, 9), ACADEMIC, "2016/17 (academic)", "Sep 2016"),
        (year(2016, 7), Years(7, 4), "2016/17 (Jul–Jun)", "Jul 2016"),
        (Period(month_index(2013, 9), 60), ACADEMIC, "2013/14–2017/18 (academic)", "Sep 2013"),
        (month(2016, 12, 3), ACADEMIC, "Dec 2016–Feb 2017", "Dec 2016"),
        (year(2016, 4), Years(4, 4), "2016/17", "Apr 2016"),  # the financial years: as before
        (year(2016, 9), Years(9, 9), "2016/17", "Sep 2016"),  # a catalogue of academic years: no suffix
        (year(2017, 1), Years(1, 1), "2017", "Jan 2017"),
    ],
)
def test_a_measures_own_years_say_which_years_they_are(
    period: Period, years: Years, natural: str, first_month: str
) -> None:
    assert (period_label(period, "natural", years), period_label(period, "first-month", years)) == (
        natural,
        first_month,
    )


@pytest.mark.parametrize(
    ("text", "years", "expected"),
    [
        ("2017", CALENDAR, year(2017, 1)),
        ("Q1 2017", CALENDAR, month(2017, 1, 3)),
        ("2017 q4", CALENDAR, month(2017, 10, 3)),
        ("Q2 2017", 1, month(2017, 4, 3)),  # a catalogue of calendar years reads them too
        ("2017/18", 1, year(2017, 1)),  # and, as before, a two-year form as its first year
        ("2016/17", ACADEMIC, year(2016, 9)),
        ("2016/17 (academic)", ACADEMIC, year(2016, 9)),
        ("2016/17  (Academic)", ACADEMIC, year(2016, 9)),
        ("2016/17 Q1", ACADEMIC, month(2016, 9, 3)),
        ("2016/17 (Jul-Jun)", Years(7, 4), year(2016, 7)),
        ("Sep 2016–Aug 2017", ACADEMIC, year(2016, 9)),
    ],
)
def test_result_files_name_a_measures_own_years(text: str, years: Years | int, expected: Period) -> None:
    fitted, _ = fit_period(parse_period(text, years), "quarterly" if expected.months == 3 else "annual", years)
    assert fitted == expected


@pytest.mark.parametrize(
    ("text", "years", "message"),
    [
        (
            "2017/18",
            CALENDAR,
            "'2017/18' is not a calendar year or one of its quarters: this measure's years are calendar years, "
            "named like 2017, and their quarters like Q1 2017 (Jan–Mar 2017)",
        ),
        ("Q3 2017/18", CALENDAR, "'Q3 2017/18' is not a calendar year or one of its quarters"),
        ("2017/18 Q3", CALENDAR, "named like 2017, and their quarters like Q1 2017"),
        ("2017 (academic)", CALENDAR, "'2017 (academic)' names other years: this measure's years are calendar years"),
        ("2016/17 (academic)", 4, "names other years: this measure's years are financial years, like 2022/23"),
        ("2016/17 (Jul–Jun)", ACADEMIC, "academic years, like 2022/23 (academic)"),
        ("Q1 2017", 4, "'Q1 2017' is ambiguous (Q1 of 2017/18 or of the calendar year 2017?)"),
        ("2017", ACADEMIC, "'2017' is ambiguous (2017/18 (academic) or 2016/17 (academic)?)"),
    ],
)
def test_another_kind_of_year_is_refused(text: str, years: Years | int, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text, years)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("period", "frequency", "years", "text"),
    [
        (year(2017, 1), "annual", CALENDAR, "2017"),
        (month(2017, 4, 3), "quarterly", CALENDAR, "2017-04"),
        (year(2016, 9), "annual", ACADEMIC, "2016/17 (academic)"),
        (month(2016, 12, 3), "quarterly", ACADEMIC, "2016-12"),
        (month(2017, 10, 3), "quarterly", Years(4, 4), "2017/18 Q3"),  # the financial years: as before
        (year(2017, 1), "annual", 1, "2017-01"),
    ],
)
def test_fill_in_templates_name_the_period_in_the_measures_years(
    period: Period, frequency: str, years: Years | int, text: str
) -> None:
    assert period_text(period, frequency, years) == text


@st.composite
def own_periods(draw: st.DrawFn) -> tuple[Period, str, Years]:
    years = Years(draw(st.integers(1, 12)), draw(st.integers(1, 12)))
    frequency = draw(st.sampled_from(["monthly", "quarterly", "annual", "biennial"]))
    months = {"monthly": 1, "quarterly": 3}.get(frequency, 12)
    first = month_index(draw(st.integers(1901, 2199)), years.start_month)
    return Period(first + months * draw(st.integers(-6, 6)), months), frequency, years


@given(own_periods(), st.sampled_from(["natural", "first-month"]))
def test_every_label_in_a_measures_own_years_reads_back(case: tuple[Period, str, Years], style: LabelStyle) -> None:
    period, frequency, years = case
    survey = period.year if frequency == "biennial" else None
    for text in (period_label(period, style, years), period_text(period, frequency, years), period.key):
        assert fit_period(parse_period(text, years), frequency, years, survey) == (period, False), text


# --- the calculator --------------------------------------------------------------------------------


def make(**fields: Any) -> Measure:
    base = {"id": "m", "title": "M", "unit": "number", "polarity": "lower", "frequency": "annual"}
    return Measure.model_validate(base | fields)


def row(m: Measure, period: str, value: float) -> Result:
    fitted, outturn = fit_period(parse_period(period, m.years), m.frequency, m.years)
    return Result(m.id, fitted, outturn, value, None, None, "", "", "", "", Path("t.csv"), 2)


def test_a_calendar_years_previous_year_is_the_one_before_the_report_dates() -> None:
    crime = make(year="calendar", targets={"2016": 55, "2017": 52}, direction="previous_year")
    rows = [row(crime, "2015", 57.2), row(crime, "2016", 53.4), row(crime, "2017", 51.2)]
    december = compute_measure(crime, rows, date(2017, 12, 31))
    assert (december.period, december.target, december.rag) == (year(2017, 1), 52, "green")
    assert (december.previous_year_period, december.previous_year_value) == (year(2016, 1), 53.4)
    assert (december.comparator_period, december.travel) == (year(2016, 1), "better")
    november = compute_measure(crime, rows, date(2017, 11, 30))  # 2017 has not ended
    assert (november.period, november.target, november.status) == (year(2016, 1), 55, "up-to-date")
    assert november.previous_year_period == year(2016, 1)
    assert compute_measure(crime, rows[:2], date(2017, 12, 31)).overdue_period == year(2017, 1)


def test_an_academic_years_outturn_and_trend_are_its_own() -> None:
    absence = make(frequency="monthly", year="academic", decimals=1, outturn="mean", direction="previous_year")
    values = [9.8, 10.4, 11.2, 12.0, 12.6, 12.2, 11.8, 11.0, 10.6, 10.8, 11.4]  # Sep 2016 to Jul 2017
    rows = [row(absence, Period(month_index(2016, 9) + i, 1).key, value) for i, value in enumerate(values)]
    rows += [row(absence, "2017-09", 9.9), row(absence, "2017-10", 10.3)]
    result = compute_measure(absence, rows, date(2017, 10, 31))
    assert result.previous_year_display == "11.3"  # 123.8 / 11 = 11.25: the academic year's mean
    assert result.comparator_period == year(2016, 9)
    assert [point.period.key for point in result.trend] == ["2017-09", "2017-10"]  # not from April


def test_a_calendar_monthly_trend_shows_the_calendar_years_months() -> None:
    asb = make(frequency="monthly", year="calendar")
    rows = [row(asb, f"2017-{number:02d}", 300) for number in range(1, 13)]
    assert len(compute_measure(asb, rows, date(2017, 12, 31)).trend) == 12
    assert len(compute_measure(asb.model_copy(update={"year_type": None}), rows, date(2017, 12, 31)).trend) == 9


def test_a_week_counts_in_the_calendar_year_holding_its_thursday() -> None:
    weekly = make(frequency="weekly", year="calendar", targets={"2025": 10, "2026": 8})
    assert weekly.target_for(iso_week(2026, 1)) == 8  # Monday 29 Dec 2025, Thursday 1 Jan 2026
    assert weekly.target_for(iso_week(2025, 52)) == 10


def test_a_biennial_calendar_measure_names_its_survey_year_as_a_calendar_year() -> None:
    survey = make(frequency="biennial", year="calendar", survey_year=2023)
    assert (survey.survey_year_start, survey.years.start_month) == (2023, 1)
    assert fit_period(parse_period("2021", survey.years), "biennial", survey.years, 2023) == (year(2021, 1), False)


# --- the catalogue -----------------------------------------------------------------------------------


def catalogue_with(extra: str, targets: str = "{2017/18: 90}") -> str:
    return CATALOGUE.replace("    targets: {2017/18: 90}\n", f"    targets: {targets}\n{extra}")


@pytest.mark.parametrize(
    ("extra", "targets", "problems"),
    [
        (
            "    year: calendar\n    year_start_month: 1\n",
            "{2017: 90}",
            {"measures.yaml:14": ["measures[0].year_start_month: give `year` or `year_start_month`, not both"]},
        ),
        ("    year: school\n", "{2017/18: 90}", {"measures.yaml:13": ["measures[0].year", "'calendar'"]}),
        ("    year_start_month: 13\n", "{2017/18: 90}", {"measures.yaml:13": ["year_start_month", "(got 13)"]}),
        (
            "    year: calendar\n",
            "{2017/18: 90}",
            {"measures.yaml:12": ["target year '2017/18' is not a calendar year or one of its quarters"]},
        ),
        (
            "    year: academic\n",
            "{2017: 90}",
            {"measures.yaml:12": ["target year '2017' is ambiguous (2017/18 (academic) or 2016/17 (academic)?)"]},
        ),
        (
            "    year: calendar\n",
            "{Q1 2017/18: 90}",
            {"measures.yaml:12": ["'Q1 2017/18' is not a calendar year or one of its quarters"]},
        ),
    ],
    ids=["both", "unknown year", "bad start month", "two-year key", "bare year", "financial quarter"],
)
def test_a_measures_years_are_checked(
    extra: str, targets: str, problems: dict[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_invalid(write_project(tmp_path / "p", catalogue_with(extra, targets)), problems, monkeypatch)


def test_a_calendar_survey_year_is_a_calendar_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    biennial = "    frequency: biennial\n    year: calendar\n    survey_year: 2017/18\n"
    text = CATALOGUE.replace("    frequency: annual\n", biennial)
    assert_invalid(
        write_project(tmp_path / "p", text),
        {"measures.yaml:24": ["survey_year '2017/18' is not a calendar year like 2023"]},
        monkeypatch,
    )


def test_a_result_file_names_a_calendar_measures_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CATALOGUE.replace("    frequency: annual\n", "    frequency: annual\n    year: calendar\n")
    files = {"r.csv": "measure,period,value\nsatisfaction,2016,80\nsatisfaction,2017/18,81\nsatisfaction,2015-04,79\n"}
    assert_invalid(
        write_project(tmp_path / "p", text, files),
        {
            "data/r.csv:3": ["column period: '2017/18' is not a calendar year or one of its quarters"],
            "data/r.csv:4": ["an annual measure's period starts in Jan, the first month of the year, not Apr"],
        },
        monkeypatch,
    )


def test_year_financial_changes_nothing(tmp_path: Path) -> None:
    outputs = []
    for name, catalogue in (("a", CATALOGUE), ("b", catalogue_with("    year: financial\n"))):
        project = write_project(tmp_path / name, catalogue)
        result = invoke("build", "--project", str(project), "--as-at", AS_AT, "--format", "json,csv,html")
        assert result.exit_code == 0, result.output
        outputs.append([(project / "out" / f"overview.{ext}").read_bytes() for ext in ("json", "csv", "html")])
    assert outputs[0] == outputs[1]


def test_any_other_start_month_labels_its_years(tmp_path: Path) -> None:
    text = CATALOGUE.replace("    frequency: annual\n", "    frequency: annual\n    year_start_month: 7\n")
    files = {"r.csv": "measure,period,value\nsatisfaction,2015/16,80\nsatisfaction,2016/17 (Jul–Jun),82\n"}
    project = write_project(tmp_path / "p", text, files)
    result = invoke("build", "--project", str(project), "--as-at", AS_AT, "--format", "json")
    assert result.exit_code == 0, result.output
    row = measure(json.loads((project / "out" / "overview.json").read_text(encoding="utf-8")), "satisfaction")
    assert (row["period"], row["period_label"], row["year_start_month"], row["previous_year"]) == (
        "2016-07",
        "2016/17 (Jul–Jun)",
        7,
        "2016/17 (Jul–Jun)",
    )
    assert row["previous_year_display"] == "82"  # the year before 2017/18 (Jul–Jun), which holds 31.12.17


def test_the_missing_target_warning_is_in_the_measures_years(tmp_path: Path) -> None:
    project = copy_project(NAME, tmp_path)
    results = project / "data" / "results.csv"
    results.write_text(results.read_text(encoding="utf-8") + "recorded-crime,2018,50.0,\n", encoding="utf-8")
    result = invoke("validate", "--project", str(project), "--as-at", "2019-01-31")
    warnings = [line for line in result.output.splitlines() if "no target" in line]
    line = (project / "measures.yaml").read_text(encoding="utf-8").split("    targets: {2016: 55")[0].count("\n") + 1
    assert warnings == [
        f"{project / 'measures.yaml'}:{line}: warning: measures[0].targets: no target for 2018 "
        "(targets are set for 2016, 2017 only): the measure shows no RAG"
    ]


# --- tests/projects/calendar-and-academic through the command line --------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(NAME, tmp_path_factory.mktemp("built"))
    out = project / "out"
    args = ("--project", str(project), "--as-at", AS_AT)
    result = invoke("build", *args, "--format", "json,csv,html,pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert_clean(result)
    site = invoke("site", *args, "--out", str(out), "-q")
    assert site.exit_code == 0, site.output
    return out


def test_the_project_is_valid_and_raises_no_warning() -> None:
    result = invoke("validate", "--project", str(PROJECTS / NAME), "--as-at", AS_AT, "--strict")
    assert result.output == "ok: 6 measures in 1 report(s), 66 results in 1 file(s)\n"


KEYS = (
    "period_label", "display", "target_display", "rag", "previous_year_display", "previous_year",
    "year_start_month", "direction", "direction_basis", "direction_comparator_display", "due_date",
)  # fmt: skip
EXPECTED = {
    "recorded-crime": ("2017", "51.2", "52", "green", "53.4", "2016", 1, "better", "2016", "53.4", "2018-12-31"),
    "antisocial-behaviour": (
        "Dec 2017", "275", "300", "green", "3,955", "2016", 1, "better", "Dec 2016", "290", "2018-01-31",
    ),
    "violent-crime": (
        "Oct–Dec 2017", "4.3", "4.2", "red", "4.8", "2016", 1, "better", "Jul–Sep 2017", "4.7", "2018-03-31",
    ),
    "ks2-expected": (
        "2016/17 (academic)", "61", "62", "amber", "61", "2016/17 (academic)", 9,
        "better", "2015/16 (academic)", "53", "2018-08-31",
    ),
    "persistent-absence": (
        "Dec 2017", "10.9", "10", "red", "11.1", "2016/17 (academic)", 9,
        "better", "2016/17 (academic)", "11.1", "2018-01-31",
    ),
    "children-in-need": (
        "Dec 2017", "317", "320", "green", "331", None, None, "better", "2016/17", "331", "2018-01-31",
    ),
}  # fmt: skip


def test_the_json_gives_each_measure_its_own_years(built: Path) -> None:
    document = json.loads((built / "communities.json").read_text(encoding="utf-8"))
    assert document["previous_year"] == "2016/17"  # the report's: the financial year
    assert {m["id"]: tuple(m.get(key) for key in KEYS) for m in document["measures"]} == EXPECTED
    assert {"year_start_month", "previous_year"}.isdisjoint(measure(document, "children-in-need"))
    assert "target_basis" not in measure(document, "recorded-crime")
    assert measure(document, "violent-crime")["target_basis"] == "Q4 2017"
    trends = {m["id"]: [point["period"] for point in m["trend"]] for m in document["measures"]}
    assert trends["antisocial-behaviour"] == [f"2017-{number:02d}" for number in range(1, 13)]
    assert trends["persistent-absence"] == ["2017-09", "2017-10", "2017-11", "2017-12"]
    assert trends["recorded-crime"] == [f"{y}-01" for y in range(2013, 2018)]


def test_the_csv_gains_the_year_columns(built: Path) -> None:
    text = (built / "communities.csv").read_bytes().decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert [(r["year_start_month"], r["previous_year"]) for r in rows.values()] == [
        ("1", "2016"), ("1", "2016"), ("1", "2016"), ("9", "2016/17 (academic)"), ("9", "2016/17 (academic)"), ("", ""),
    ]  # fmt: skip


def test_the_appendix_names_a_measures_own_previous_year(built: Path) -> None:
    html = (built / "communities.html").read_text(encoding="utf-8")
    assert '<td class="fig" data-label="2016/17 Performance">53.4<br><span class="detail">2016</span></td>' in html
    assert 'data-label="2016/17 Performance">61<br><span class="detail">2016/17 (academic)</span></td>' in html
    assert '<td class="fig" data-label="2016/17 Performance">331</td>' in html  # the financial year's: unlabelled
    assert (
        '<p class="footnote">Measures counted in calendar years or academic years show the outturn of their own '
        "previous year in the “2016/17 Performance” column, with that year under the figure.</p>"
    ) in html
    assert '<th scope="col">Trend</th>' in html  # not "2017-18 Trend": the calendar rows' trends are not in it
    assert (
        "Direction of travel compares each result with the previous calendar year’s outturn (measure 1), the same "
        "period a year before (measure 2), the period before (measure 3), the previous academic year’s outturn "
        "(measures 4, 5) or the previous financial year’s outturn (measure 6)."
    ).replace("’", "&#39;") in html
    assert "this calendar year&#39;s months (monthly), this academic year&#39;s months (monthly)" in html


def test_the_pdf_prints_the_years(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "communities.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = " ".join(text.split())
    assert "2016/17 (academic)" in words and "Measures counted in calendar years or academic years" in words


def test_the_portal_names_the_years_and_labels_the_history(built: Path) -> None:
    pages = built / "site" / "latest" / "measures"
    crime = (pages / "recorded-crime.html").read_text(encoding="utf-8")
    assert "<dt>Year</dt><dd>Calendar years: January to December, labelled like 2023</dd>" in crime
    assert "<dt>Targets</dt><dd>2016: 55; 2017: 52</dd>" in crime
    assert '<th scope="row">2017</th>' in crime and "The previous calendar year&#39;s outturn" in crime
    ks2 = (pages / "ks2-expected.html").read_text(encoding="utf-8")
    assert "<dt>Targets</dt><dd>2016/17 (academic): 62; 2017/18 (academic): 64</dd>" in ks2
    assert "Academic years: September to August, labelled like 2023/24 (academic)" in ks2
    assert '<th scope="row">2016/17 (academic)</th>' in ks2
    assert "<dt>Year</dt>" not in (pages / "children-in-need.html").read_text(encoding="utf-8")


def test_a_filled_in_template_loads_back(tmp_path: Path) -> None:
    project = copy_project(NAME, tmp_path)
    template = tmp_path / "due.csv"
    args = ("--project", str(project), "--as-at", "2018-08-31")
    result = invoke("due", *args, "--format", "csv", "--out", str(template))
    assert result.exit_code == 0, result.output
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["antisocial-behaviour", "2018-08"], ["violent-crime", "2018-04"], ["ks2-expected", "2017/18 (academic)"],
        ["persistent-absence", "2018-08"], ["children-in-need", "2018-08"],
    ]  # fmt: skip
    rows = [line.split(",") for line in lines[1:]]
    filled = "\n".join([lines[0], *(",".join([*cells[:2], "50", *cells[3:]]) for cells in rows)]) + "\n"
    (project / "data" / "due.csv").write_text(filled, encoding="utf-8")
    assert invoke("validate", "--project", str(project), "--as-at", "2018-08-31").exit_code == 0


def test_the_readme_table_is_the_projects_json(built: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = f"$ ncc-scorecard build --as-at {AS_AT} --format json --project tests/projects/{NAME}\n"
    table = readme[readme.index(command) :].split("\n\n")[1]
    document = json.loads((built / "communities.json").read_text(encoding="utf-8"))
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| measure")]
    assert len(rows) == 4
    for line in rows:
        data = measure(document, line.split(" | ")[0].removeprefix("| "))
        for key in ("display", "target_display", "rag", "previous_year_display", "direction_comparator_display"):
            assert str(data[key]) in line, (key, line)
        assert data["direction_basis"] in line and data["period_label"] in line
