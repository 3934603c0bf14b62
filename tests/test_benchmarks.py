"""Benchmarks: England, the region and statistical neighbours, rank and quartile, worked out by hand
on the twelve local areas of tests/projects/benchmarks (2016/17 children looked after per 10,000,
lower is better): 50 North Tyneside, 55 Darlington, 60 Testshire (ours), 60 Stockton, 75, 80 County
Durham, 85, 90 Gateshead, 95, 100, 110 Hartlepool, 120."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from scorecard_testing import assert_invalid, build, build_json, copy_project, invoke, measure

from ncc_scorecard.benchmarks import quartile, rank_text, ranks
from ncc_scorecard.periods import PeriodError, dfe_period

AS_AT = "2017-12-31"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    project = copy_project("benchmarks", tmp_path_factory.mktemp("b"))
    return build_json(project, "children", AS_AT)


def test_ranks_share_ties_and_follow_polarity() -> None:
    values = [Decimal(v) for v in (60, 80, 90, 110, 120, 75, 60, 55, 95, 50, 100, 85)]
    lower = ranks(values, "lower")
    # 50 is 1st, 55 2nd, the two 60s share 3rd, 75 is then 5th, 120 12th
    assert lower == [3, 6, 8, 11, 12, 5, 3, 2, 9, 1, 10, 7]
    higher = ranks(values, "higher")
    assert higher == [9, 7, 5, 2, 1, 8, 9, 11, 4, 12, 3, 6]


@pytest.mark.parametrize(
    ("rank", "expected"),
    [(1, "A"), (3, "A"), (4, "B"), (6, "B"), (7, "C"), (9, "C"), (10, "D"), (12, "D")],
)
def test_quartile_boundaries_of_twelve(rank: int, expected: str) -> None:
    # ceil(4 × rank / 12): ranks 1–3 are the best quarter
    assert quartile(rank, 12) == expected


def test_quartile_of_the_usual_152() -> None:
    assert [quartile(r, 152) for r in (38, 39, 76, 77, 114, 115, 152)] == ["A", "B", "B", "C", "C", "D", "D"]


def test_rank_text() -> None:
    assert [rank_text(r, 152) for r in (1, 2, 3, 11, 12, 13, 21, 87, 101, 111)] == [
        "1st of 152", "2nd of 152", "3rd of 152", "11th of 152", "12th of 152", "13th of 152",
        "21st of 152", "87th of 152", "101st of 152", "111th of 152",
    ]  # fmt: skip
    assert rank_text(None, 152) is None


def test_groups_rank_and_quartile_by_hand(document: dict[str, Any]) -> None:
    found = measure(document, "cla-rate")["benchmarks"]
    # the latest benchmark year that ended by Oct–Dec 2017 is 2016/17 (2017/18's England figure waits)
    assert (found["period"], found["period_label"]) == ("2016-04", "2016/17")
    assert found["value"] == 60  # our own row of the benchmark file
    england, region, neighbours = found["groups"]
    assert england == {
        "id": "england", "name": "England", "basis": "published", "mean_of": None, "value": 62, "display": "62",
        "difference": -2, "difference_display": "-2", "comparison": "better",
    }  # fmt: skip
    assert (region["value"], region["difference"], region["comparison"]) == (92, -32, "better")
    # (80 + 90 + 60 + 50 + 110) / 5 = 78
    assert (neighbours["basis"], neighbours["mean_of"], neighbours["value"]) == ("mean", 5, 78)
    assert neighbours["comparison"] == "better"
    # two areas are lower (better) than 60: 3rd, tied with Stockton; among us and 5 neighbours only 50 is lower
    assert (found["rank"], found["rank_of"], found["quartile"]) == (3, 12, "A")
    assert (found["neighbour_rank"], found["neighbour_rank_of"]) == (2, 6)


def test_dfe_file_higher_polarity_and_suppressed_values(document: dict[str, Any]) -> None:
    found = measure(document, "ks2-rwm")["benchmarks"]
    assert (found["period"], found["period_label"]) == ("2016-09", "2016/17 (academic)")
    england, region, neighbours = found["groups"]
    assert (england["value"], region["value"]) == (61, 63)  # the Total rows, not Boys
    # Gateshead "c" and North Tyneside "x" are no data, not zero: (62 + 66 + 59) / 3
    assert neighbours["mean_of"] == 3
    assert neighbours["value"] == pytest.approx(62.333333)
    assert (england["comparison"], england["difference"]) == ("better", 3)
    # 66 Stockton, 64 us, 62, 59: 2nd of 4, quartile ceil(8/4) = B
    assert (found["rank"], found["rank_of"], found["quartile"]) == (2, 4, "B")


def test_placeholders_in_comment_and_underlying(document: dict[str, Any]) -> None:
    row = measure(document, "cla-rate")
    assert row["comment"] == (
        "Our rate is below the national average of 62 and ranked 3rd of 12 among all authorities (quartile A); "
        "2nd of 6 among our statistical neighbours, whose mean is 78."
    )
    assert row["underlying"].endswith("England 62, statistical neighbours 78.")


def test_measure_without_benchmarks_is_null(document: dict[str, Any]) -> None:
    assert measure(document, "contacts")["benchmarks"] is None


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        # ours alone: no one to rank against, and "1st of 1" would fall in quartile D (⌈4 × 1 ÷ 1⌉ = 4)
        ((), (None, None, None, None, None)),
        # ours (60) and two more: 50 lower, 80 higher: 2nd of 3, too few areas for quartiles;
        # both are neighbours, so among us and them we are 2nd of 3 as well
        (("E08000022,North Tyneside,50", "E06000047,County Durham,80"), (2, 3, None, 2, 3)),
        # four areas: quartiles begin (60 is 2nd of 4: ⌈4 × 2 ÷ 4⌉ = 2, B)
        (("E08000022,North Tyneside,50", "E06000047,County Durham,80", "E06000001,Hartlepool,110"), (2, 4, "B", 2, 4)),
        # one local area besides us, not a neighbour: 1st of 2 overall, no neighbour to rank against
        (("E06000002,Middlesbrough,120",), (1, 2, None, None, None)),
    ],
)
def test_rank_and_quartile_need_enough_areas(tmp_path: Path, areas: tuple[str, ...], expected: tuple) -> None:
    project = copy_project("benchmarks", tmp_path)
    rows = ["cla-rate,2016/17,E92000001,England,62", "cla-rate,2016/17,E06000057,Testshire,60"]
    rows += [f"cla-rate,2016/17,{area}" for area in areas]
    (project / "benchmarks" / "figures.csv").write_text(
        "measure,period,area_code,area_name,value\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    found = measure(build_json(project, "children", AS_AT), "cla-rate")["benchmarks"]
    keys = ("rank", "rank_of", "quartile", "neighbour_rank", "neighbour_rank_of")
    assert tuple(found[key] for key in keys) == expected
    assert found["groups"][0]["display"] == "62"  # England's figure stands without a rank


def test_csv_columns(tmp_path: Path) -> None:
    project = copy_project("benchmarks", tmp_path)
    assert build(project, as_at=AS_AT, formats="csv").exit_code == 0
    text = (project / "out" / "children.csv").read_text(encoding="utf-8-sig")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    row = rows["cla-rate"]
    assert (row["benchmark_period_label"], row["benchmark_england"], row["benchmark_england_comparison"]) == (
        "2016/17", "62.0", "better",
    )  # fmt: skip
    assert (row["benchmark_neighbours"], row["rank"], row["rank_of"], row["quartile"]) == ("78.0", "3", "12", "A")
    assert (row["neighbour_rank"], row["neighbour_rank_of"]) == ("2", "6")
    assert rows["contacts"]["rank"] == ""


@pytest.mark.parametrize(
    ("time_period", "identifier", "key", "months"),
    [
        ("201718", "Academic year", "2017-09", 12),
        ("201718", "Financial year", "2017-04", 12),
        ("201718", "Tax year", "2017-04", 12),
        ("2017", "Calendar year", "2017-01", 12),
        ("2017", "Reporting year", "2016-04", 12),
        ("201718", "Reporting year", "2017-04", 12),
        ("201718", "Financial year Q1", "2017-04", 3),
        ("201718", "Financial year Q4", "2018-01", 3),
        ("201718", "Academic year Q1", "2017-09", 3),
        ("201718", "Academic year Q4", "2018-06", 3),
        ("2017", "Calendar year Q1", "2017-01", 3),
        ("2017", "Calendar year Q4", "2017-10", 3),
        ("2018", "January", "2018-01", 1),
        ("2017", "December", "2017-12", 1),
        ("201718", "September", "2017-09", 1),
        ("201718", "August", "2018-08", 1),
    ],
)
def test_dfe_time_identifiers(time_period: str, identifier: str, key: str, months: int) -> None:
    period = dfe_period(time_period, identifier)
    assert (period.key, period.months) == (key, months)


@pytest.mark.parametrize(
    ("time_period", "identifier"),
    [("2017", "Academic year"), ("201718", "Calendar year"), ("201719", "Academic year"), ("2017", "Spring term")],
)
def test_dfe_time_refused(time_period: str, identifier: str) -> None:
    with pytest.raises(PeriodError):
        dfe_period(time_period, identifier)


def test_dfe_file_with_every_identifier(tmp_path: Path) -> None:
    """A monthly measure reads a DfE file's months and years; its quarters do not fit and are refused."""
    project = copy_project("benchmarks", tmp_path)
    yaml = (project / "measures.yaml").read_text()
    yaml = yaml.replace(
        "frequency: quarterly\n    targets: {2017/18: 65}", "frequency: monthly\n    targets: {2017/18: 65}"
    )
    yaml = yaml.replace(
        '    underlying: "{numerator}',
        '    benchmark_source: {file: benchmarks/months.csv, column: rate}\n    underlying: "{numerator}',
    )
    (project / "measures.yaml").write_text(yaml)
    (project / "data" / "results.csv").write_text(
        "measure,period,value,numerator,denominator,comment\ncla-rate,2017-12,,371,64000,{england}\nks2-rwm,2016/17,64\n"
    )
    (project / "benchmarks" / "figures.csv").unlink()
    header = "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,la_name,rate\n"
    rows = [
        "201617,Financial year,National,E92000001,,,,61",
        "2017,Calendar year,National,E92000001,,,,62",
        "2017,November,National,E92000001,,,,63",
        "201718,December,National,E92000001,,,,low",
        "2018,Reporting year,National,E92000001,,,,60",
        "201718,Financial year Q2,National,E92000001,,,,59",
    ]
    (project / "benchmarks" / "months.csv").write_text(header + "\n".join(rows) + "\n")
    result = build(project, as_at=AS_AT)
    assert result.exit_code == 1
    assert "benchmarks/months.csv:7: column time_identifier: a 3-month period does not fit a monthly measure" in (
        result.output
    )
    (project / "benchmarks" / "months.csv").write_text(header + "\n".join(rows[:5]) + "\n")
    found = measure(build_json(project, "children", AS_AT), "cla-rate")["benchmarks"]
    # Jan–Dec 2017 and Nov 2017 both end by Dec 2017; the latest to end is the calendar year ("low" is no data)
    assert (found["period_label"], found["groups"][0]["value"]) == ("Jan–Dec 2017", 62)


def test_validation_every_problem_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("benchmarks", tmp_path)
    (project / "benchmarks" / "figures.csv").write_text(
        "measure,period,area_code,area_name,value\n"
        "cla-rate,2016/17,E92000001,England,62\n"
        "cla-rates,2016/17,E92000001,England,62\n"
        "cla-rate,2016-05,E06000004,Stockton,60\n"
        "cla-rate,2016/17,E12000009,South West,60\n"
        "cla-rate,2016/17,E92000001,England,63\n"
        "cla-rate,2016/17,E06000004,Stockton,sixty\n"
    )
    assert_invalid(
        project,
        {
            "benchmarks/figures.csv:3": ["no measure 'cla-rates'", "did you mean 'cla-rate'?"],
            "benchmarks/figures.csv:4": ["column period:"],
            "benchmarks/figures.csv:5": ["area code 'E12000009' is not the area's, a comparator group's"],
            "benchmarks/figures.csv:6": ["given twice; first at", "figures.csv:2"],
            "benchmarks/figures.csv:7": ["column value:"],
        },
        monkeypatch,
    )


@pytest.mark.parametrize(
    ("old", "new", "location", "texts"),
    [
        ("benchmarks: [england, region, neighbours]", "benchmarks: [england, county]", "measures.yaml:19",
         ["reports[0].benchmarks[1]", "no comparator group 'county'"]),
        ("benchmark_columns: [england, neighbours, rank, quartile]", "benchmark_columns: [england, median]",
         "measures.yaml:20", ["no comparator group 'median'", "rank, neighbour_rank, quartile"]),
        ("  england: {code: E92000001, name: England}", "  england: {name: England}", "measures.yaml:9",
         ["either `code`"]),
        ("area: {code: E06000057, name: Testshire}", "area: {code: Testshire, name: Testshire}", "measures.yaml:7",
         ["area.code"]),
        ("statistical neighbours {neighbours}.", "statistical neighbours {nearest}.", "measures.yaml:31",
         ["names {nearest}", "{england}", "{quartile}"]),
        ("file: benchmarks/ks2-dfe.csv", "file: benchmarks/ks2.csv", "measures.yaml:41",
         ["no file benchmarks/ks2.csv"]),
    ],
)  # fmt: skip
def test_catalogue_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, location: str, texts: list[str]
) -> None:
    project = copy_project("benchmarks", tmp_path)
    yaml = (project / "measures.yaml").read_text()
    assert old in yaml
    (project / "measures.yaml").write_text(yaml.replace(old, new))
    assert_invalid(project, {location: texts}, monkeypatch)


def test_dfe_file_missing_filter_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project("benchmarks", tmp_path)
    yaml = (project / "measures.yaml").read_text().replace("{characteristic: Total}", "{sex: Total}")
    (project / "measures.yaml").write_text(yaml)
    assert_invalid(project, {"benchmarks/ks2-dfe.csv:1": ["no column 'sex' to filter on"]}, monkeypatch)


def test_appendix_benchmark_columns(tmp_path: Path) -> None:
    project = copy_project("benchmarks", tmp_path)
    assert build(project, as_at=AS_AT, formats="html").exit_code == 0
    html = (project / "out" / "children.html").read_text(encoding="utf-8")
    assert 'class="scorecard with-benchmarks"' in html
    headers = re.findall(r'<th scope="col">([^<]*)</th>', html.split("<tbody")[0])
    assert headers[-6:] == ["England", "Statistical neighbours", "Rank", "Quartile", "Status", "Trend"]
    assert "table.with-benchmarks .c-bench { width: 5.0%; }" in html  # 20% shared by four columns
    row = html.split('id="measure-cla-rate"')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="fig" data-label="[^"]*">(.*?)</td>', row)[-4:]
    assert cells == [
        '62<br><span class="detail">2016/17</span>',
        '78<br><span class="detail">2016/17, mean of 5</span>',
        '3rd of 12<br><span class="detail">2016/17</span>',
        'A<br><span class="detail">2016/17</span>',
    ]
    # the academic-year measure's benchmark year is its current result's: no period under the figure
    ks2 = html.split('id="measure-ks2-rwm"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="fig" data-label="(Rank|Quartile)">(.*?)</td>', ks2) == [
        ("Rank", "2nd of 4"),
        ("Quartile", "B"),
    ]
    contacts = html.split('id="measure-contacts"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="fig" data-label="[^"]*">(.*?)</td>', contacts)[-4:] == ["–"] * 4


def test_site_measure_page_charts(tmp_path: Path) -> None:
    project = copy_project("benchmarks", tmp_path)
    result = invoke("site", "--project", str(project), "--as-at", AS_AT, "--out", str(project / "out"), "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    page = (project / "out" / "site" / "2017-12-31" / "measures" / "cla-rate.html").read_text(encoding="utf-8")
    # every chosen group's level on the trend chart, each with its own colour and dash pattern:
    # England 62 and the North East 92 as published, the five neighbours' mean (80+90+60+50+110)/5 = 78
    assert "Oct–Dec 2017: 58 (green) (England 62, North East 92, Statistical neighbours (mean) 78)" in page
    lines = re.findall(r'<path class="benchmark" d="[^"]*" fill="none" stroke="(#\w+)" stroke-width="2"([^/]*)/>', page)
    dashes = ' stroke-dasharray="10 3 2 3"', ' stroke-dasharray="1 3"'
    assert lines == [("#28a197", ""), ("#d53880", dashes[0]), ("#b58840", dashes[1])]
    for name in ("England", "North East", "Statistical neighbours (mean)"):
        assert f"{name}</text>" in page  # in the legend
    assert 'class="rank-chart" role="img"' in page
    assert "1st North Tyneside: 50; 2nd Stockton-on-Tees: 60; 2nd Testshire (us): 60; 4th County Durham: 80" in page
    caption = "Statistical neighbours and us, 2016/17, ranked best first"
    table = page.split(f'<caption id="ranking-caption">{caption}</caption>')[1]
    ranks_in_table = re.findall(r'<tr><td class="fig">(\d+)</td>', table.split("</table>")[0])
    assert ranks_in_table == ["1", "2", "2", "4", "5", "6"]
    other = (project / "out" / "site" / "2017-12-31" / "measures" / "contacts.html").read_text(encoding="utf-8")
    assert "rank-chart" not in other and "Benchmarks" not in other


def test_key_explains_benchmark_columns(tmp_path: Path) -> None:
    project = copy_project("benchmarks", tmp_path)
    assert build(project, as_at=AS_AT, formats="html").exit_code == 0
    html = (project / "out" / "children.html").read_text(encoding="utf-8")
    assert "<h3>Benchmarks</h3>" in html
    assert "England and Statistical neighbours: the latest figure published" in html
    assert "Quartile: A is the best quarter" in html


def test_key_of_seven_groups_fits_one_line(tmp_path: Path) -> None:
    """SPC beside benchmark columns gives the key seven groups: each gets a seventh of the line
    ((100 - 7 × 1.3) / 7 = 13.0 %), a rule only such a report's stylesheet carries."""
    project = copy_project("benchmarks", tmp_path)
    catalogue = project / "measures.yaml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("    appendix: C\n", "    appendix: C\n    spc: true\n"),
        encoding="utf-8",
    )
    assert build(project, as_at=AS_AT, formats="html,pdf").exit_code == 0
    html = (project / "out" / "children.html").read_text(encoding="utf-8")
    assert 'class="key-groups key-7"' in html
    assert ".key-7 .key-group { width: 13.0%; }" in html
    plain = copy_project("minimal", tmp_path)
    assert build(plain, formats="html").exit_code == 0
    assert "key-7" not in "".join(p.read_text(encoding="utf-8") for p in (plain / "out").glob("*.html"))


def test_readme_worked_example(document: dict[str, Any]) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "= 78. Two areas are lower, so we are 3rd of 12" in readme
    comment = measure(document, "cla-rate")["comment"]
    assert comment.startswith("Our rate is below the national average of 62 and ranked 3rd of 12 among all authorities")
    assert "(quartile A)" in comment


def test_tidy_workbook_and_placeholders_without_benchmarks(tmp_path: Path) -> None:
    """A tidy benchmark workbook is read like a CSV file; a measure without benchmarks prints
    "(no figure)" for a placeholder rather than the braces."""
    from openpyxl import Workbook

    project = copy_project("benchmarks", tmp_path)
    source = project / "benchmarks" / "figures.csv"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    header, *lines = source.read_text().splitlines()
    sheet.append(header.split(","))
    for line in lines:
        *cells, value = line.split(",")
        sheet.append([*cells, int(value)])  # figures as numbers, as Excel stores them
    workbook.save(project / "benchmarks" / "figures.xlsx")
    source.unlink()
    with (project / "data" / "results.csv").open("a") as results:
        results.write("contacts,2017/18 Q2,1400,,,England {england}; ranked {rank}\n")
    document = build_json(project, "children", AS_AT)
    assert measure(document, "cla-rate")["benchmarks"]["rank"] == 3
    document = build_json(project, "children", "2017-11-30")
    assert measure(document, "contacts")["comment"] == "England (no figure); ranked (no figure)"
