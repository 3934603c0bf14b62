"""Currency measures: result files may write figures with the currency symbol (``£951.40``, ``£1,508``),
and every output prints them with it; the symbol is the catalogue's ``currency_symbol`` (default £),
or a currency measure's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from scorecard_testing import CATALOGUE as PLAIN_CATALOGUE
from scorecard_testing import assert_invalid, build, build_json, measure, write_project

from ncc_scorecard.calculator import display, target_display
from ncc_scorecard.catalogue import Catalogue
from ncc_scorecard.results import parse_number

CATALOGUE = """\
organisation: Testshire County Council
reports:
  - id: overview
    title: Overview
    measures: [cost-per-case, overspend, fee]
measures:
  - id: cost-per-case
    title: Cost per case
    unit: currency
    polarity: lower
    frequency: monthly
    decimals: 2
    targets: 1000
    underlying: "Spend of {numerator} on {denominator} cases."
  - id: overspend
    title: Overspend
    unit: currency
    polarity: lower
    frequency: monthly
    targets: 0
  - id: fee
    title: Fee charged abroad
    unit: currency
    currency_symbol: €
    polarity: higher
    frequency: monthly
"""

RESULTS = """\
measure,period,value,numerator,denominator
cost-per-case,2017-11,"£1,508",,
cost-per-case,2017-12,,"£1,902.80",2
overspend,2017-11,£ 40,,
overspend,2017-12,-£12,,
fee,2017-12,€5.50,,
"""


@pytest.fixture
def document(tmp_path: Path) -> dict:
    return build_json(write_project(tmp_path / "p", CATALOGUE, {"results.csv": RESULTS}))


def test_figures_written_with_the_symbol_are_read(document: dict) -> None:
    cost = measure(document, "cost-per-case")
    assert cost["value"] == pytest.approx(951.40)
    assert (cost["numerator"], cost["denominator"]) == (1902.8, 2)
    assert measure(document, "overspend")["value"] == -12
    assert measure(document, "fee")["value"] == 5.5


def test_figures_are_shown_with_the_symbol(document: dict) -> None:
    cost = measure(document, "cost-per-case")
    assert (cost["display"], cost["target_display"], cost["unit_label"]) == ("£951.40", "£1,000", "£")
    assert (cost["direction"], cost["direction_basis"]) == ("better", "Nov 2017")
    assert (cost["direction_comparator_value"], cost["direction_comparator_display"]) == (1508, "£1,508.00")
    overspend = measure(document, "overspend")
    assert (overspend["display"], overspend["target_display"], overspend["rag"]) == ("-£12", "£0", "green")
    assert overspend["direction_comparator_display"] == "£40"
    fee = measure(document, "fee")
    assert (fee["display"], fee["unit_label"]) == ("€6", "€")


def test_the_underlying_sentence_keeps_the_figures_as_written(document: dict) -> None:
    assert measure(document, "cost-per-case")["underlying"] == "Spend of £1,902.80 on 2 cases."


def test_the_appendix_prints_the_symbol(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", CATALOGUE, {"results.csv": RESULTS})
    result = build(project, formats="html")
    assert result.exit_code == 0, result.output
    html = (project / "out" / "overview.html").read_text(encoding="utf-8")
    assert '<td class="fig current" data-label="Current Performance">£951.40</td>' in html
    assert 'Better <span class="detail">— vs\u00a0Nov\u00a02017: £1,508.00</span>' in html
    assert "Nov 2017 £1,508.00, Dec 2017 £951.40; target £1,000" in html  # the sparkline's text


def test_a_catalogue_symbol_applies_to_every_currency_measure(tmp_path: Path) -> None:
    catalogue = CATALOGUE.replace(
        "organisation: Testshire County Council\n", "organisation: Testshire\ncurrency_symbol: €\n"
    )
    results = RESULTS.replace("£", "€")
    document = build_json(write_project(tmp_path / "p", catalogue, {"results.csv": results}))
    cost = measure(document, "cost-per-case")
    assert (cost["display"], cost["unit_label"], cost["underlying"]) == (
        "€951.40",
        "€",
        "Spend of €1,902.80 on 2 cases.",
    )


def test_a_different_symbol_is_an_error_naming_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = RESULTS + "overspend,2017-10,$12,,\nfee,2017-11,£5,,\ncost-per-case,2017-10,,1200,$1\n"
    project = write_project(tmp_path / "p", CATALOGUE, {"results.csv": results})
    assert_invalid(
        project,
        {
            "data/results.csv:7": ["column value", "'$12' has the currency symbol '$'", "are in '£'"],
            "data/results.csv:8": ["column value", "'£5' has the currency symbol '£'", "are in '€'"],
            "data/results.csv:9": ["column denominator", "'$1' has the currency symbol '$'"],
        },
        monkeypatch,
    )


def test_a_symbol_on_a_measure_that_is_not_currency_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = CATALOGUE.replace(
        "    measures: [cost-per-case, overspend, fee]", "    measures: [cost-per-case, count]"
    )
    catalogue += "  - {id: count, title: Count, unit: number, polarity: higher, frequency: monthly}\n"
    project = write_project(tmp_path / "p", catalogue, {"results.csv": "measure,period,value\ncount,2017-12,£12\n"})
    assert_invalid(
        project, {"data/results.csv:2": ["'£12' is not a number", "only for measures with unit currency"]}, monkeypatch
    )


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [("£951.40", "£", 951.4), ("£1,508", "£", 1508), ("-£12", "£", -12), ("£-12", "£", -12), ("£ 12", "£", 12),
     ("1,508", "£", 1508), ("€12", "€", 12), ("kr 1,000", "kr", 1000), ("", "£", None), ("12", None, 12)],
)  # fmt: skip
def test_parse_number_with_a_currency_symbol(text: str, currency: str | None, expected: float | None) -> None:
    assert parse_number(text, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("$12", "£", "has the currency symbol '$', but this measure's figures are in '£'"),
        ("-€5", "£", "has the currency symbol '€', but this measure's figures are in '£'"),
        ("£12", None, "is not a number: a currency symbol ('£') is only for measures with unit currency"),
        ("£", "£", "is not a number"),
        ("£80%", "£", "is not a number"),
        ("£--1", "£", "is not a number"),
        ("--£1", "£", "is not a number"),
    ],
)
def test_parse_number_refuses_other_symbols(text: str, currency: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
        parse_number(text, currency)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1508, 0, "£1,508"), (951.4, 2, "£951.40"), (-12, 0, "-£12"), (-0.4, 0, "£0"), (None, 0, None)],
)
def test_display_with_a_currency_symbol(value: float | None, decimals: int, expected: str | None) -> None:
    assert display(value, decimals, "£") == expected


def test_target_display_with_a_currency_symbol() -> None:
    assert target_display(1000, 2, "£") == "£1,000"


def catalogue_of(**top: object) -> dict:
    currency = {"id": "cost", "title": "Cost", "unit": "currency", "polarity": "lower", "frequency": "monthly"}
    own = dict(currency, id="own", currency_symbol="CHF")
    count = {"id": "count", "title": "Count", "unit": "number", "polarity": "lower", "frequency": "monthly"}
    return {
        "organisation": "T",
        "reports": [{"id": "r", "title": "R", "measures": ["cost", "own", "count"]}],
        "measures": [currency, own, count],
        **top,
    }


def test_each_measure_knows_its_symbol() -> None:
    default = Catalogue.model_validate(catalogue_of())
    assert [default.measure(i).currency for i in ("cost", "own", "count")] == ["£", "CHF", None]
    euro = Catalogue.model_validate(catalogue_of(currency_symbol="€"))
    assert [euro.measure(i).currency for i in ("cost", "own", "count")] == ["€", "CHF", None]
    assert [euro.measure(i).label for i in ("cost", "own", "count")] == ["€", "CHF", "Number"]


BAD_CATALOGUES = {
    "a symbol with digits": (
        "organisation: Testshire County Council\ncurrency_symbol: '1£'\n",
        {"measures.yaml:2": ["currency_symbol", "no digits"]},
    ),
    "a symbol on another unit": (
        "    polarity: higher\n    frequency: annual\n",
        {"measures.yaml:18": ["`currency_symbol` is only for currency measures"]},
    ),
}


@pytest.mark.parametrize("case", list(BAD_CATALOGUES))
def test_bad_currency_symbols_are_catalogue_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    text, problems = BAD_CATALOGUES[case]
    if case == "a symbol on another unit":
        catalogue = PLAIN_CATALOGUE.replace(text, text + "    currency_symbol: £\n")
    else:
        catalogue = PLAIN_CATALOGUE.replace("organisation: Testshire County Council\n", text)
    assert_invalid(write_project(tmp_path / "p", catalogue), problems, monkeypatch)
