"""The KPI appendix's charts, drawn from a paper's frozen figures (national-only rows included)."""

from __future__ import annotations

from reports.papers.kpi_charts import appendix_charts, measure_chart
from tests.reports.pages import charts, points


def kpi(values: list[tuple[str, str, str, str]], **fields) -> dict:
    measure = {
        "name": "EHC plans issued within 20 weeks",
        "unit": "Per cent",
        "unit_code": "percent",
        "higher_is_better": True,
        "baseline": "42",
        "baseline_on": "31 Mar 2019",
        "final_target": "90",
        "final_target_on": "31 Mar 2021",
        "source": "SEN2",
        "values": [
            {"period": printed, "period_iso": iso, "value": value, "national": national, "target": ""}
            for iso, printed, value, national in values
        ],
    }
    measure.update(fields)
    return measure


def test_a_chart_says_in_words_what_it_shows():
    chart = measure_chart(
        kpi([("2019-03-31", "31 Mar 2019", "42", "60"), ("2019-06-30", "30 Jun 2019", "48.5", "")]), "k1"
    )
    assert chart.summary == (
        "Higher is better. Latest value 48.5% at June 2019 (better than 42% the period before). "
        "Final target 90% by 31 Mar 2021. Latest national figure 60% (March 2019)."
    )
    assert 'aria-labelledby="k1-title k1-desc"' in chart.svg
    assert '<title id="k1-title">EHC plans issued within 20 weeks</title>' in chart.svg


def test_a_national_only_row_draws_the_national_point_and_no_local_one():
    measure = kpi([("2019-03-31", "31 Mar 2019", "", "60"), ("2019-06-30", "30 Jun 2019", "48", "61")])
    chart = measure_chart(measure, "k2")
    svg = charts(str(chart.svg))["k2"]
    assert points(svg, "Value") == 1
    assert points(svg, "National") == 2
    assert "Latest value 48% at June 2019." in chart.summary


def test_a_kpi_with_no_local_values_says_so():
    chart = measure_chart(kpi([("2019-03-31", "31 Mar 2019", "", "60")]), "k3")
    assert "No local values recorded yet." in chart.summary


def test_a_snapshot_without_iso_dates_still_charts_from_the_printed_dates():
    measure = kpi([("", "31 Mar 2019", "42", ""), ("", "30 Jun 2019", "44", "")])
    for value in measure["values"]:
        del value["period_iso"]
    assert "Latest value 44% at June 2019" in measure_chart(measure, "k4").summary


def test_chart_ids_are_unique_within_a_paper():
    appendix = {"number": 3, "data": {"measures": [kpi([]), kpi([], name="Another")]}}
    ids = [item["chart"].id for item in appendix_charts(appendix)]
    assert ids == ["appendix-3-kpi-1", "appendix-3-kpi-2"]
