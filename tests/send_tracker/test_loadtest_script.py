"""The load test's script (loadtest/run.py) reads the pages it posts from: checked against the real pages,
so a template change cannot quietly turn its updates into errors."""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from django.test import Client

from actions.models import ActionUpdate, SuccessCriterion
from tests.factories import make_action
from tests.send_tracker.test_settings import ROOT


def _load_script():
    spec = importlib.util.spec_from_file_location("loadtest_run", ROOT / "loadtest" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


run = _load_script()


@pytest.mark.django_db
def test_it_finds_the_version_and_rag_choices_on_an_action_page_and_its_update_is_saved(officer):
    action = make_action(leads=[officer])
    # A success criterion has its own versioned form on the page: the script must not take its version.
    criterion = SuccessCriterion.objects.create(action=action, text="Parents say they were listened to.")
    SuccessCriterion.objects.filter(pk=criterion.pk).update(version=action.version + 5)
    client = Client()
    client.force_login(officer)
    mine = client.get("/actions/mine/").content.decode()
    assert str(action.pk) in re.findall(r'href="/actions/(\d+)/"', mine)
    page = client.get(f"/actions/{action.pk}/").content.decode()

    assert f'name="version" value="{action.version + 5}"' in page
    version, rags = run.update_form_fields(str(action.pk), page)
    assert version == str(action.version)
    assert sorted(rags) == sorted(str(pk) for pk in action.plan.rag_scale.levels.values_list("pk", flat=True))

    data = {
        "context": "detail",
        "version": version,
        "status": "in_progress",
        "rag": rags[0],
        "narrative": "Load test progress note.",
        "evidence": "Load test evidence.",
        "rag_reason": "Load test reason.",
        "recovery_plan": "Load test recovery comment.",
    }
    response = client.post(f"/actions/{action.pk}/update/", data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert ActionUpdate.objects.filter(action=action).count() == 1
    stale = client.post(f"/actions/{action.pk}/update/", data, headers={"HX-Request": "true"})
    assert stale.status_code == 409
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_its_summary_counts_errors_and_takes_the_95th_percentile():
    samples = [run.Sample("page", 200, float(ms)) for ms in range(1, 101)]
    samples.append(run.Sample("page", 500, 5.0, "HTTP 500"))
    figures = run.summarise(samples)["all"]
    assert figures["requests"] == 101
    assert figures["errors"] == 1
    assert figures["p95_ms"] == 95.0  # the 96th of 101 times (nearest rank); 1 to 100 and a 5
    assert run.percentile([], 0.95) == 0.0


def test_it_reads_gunicorns_time_per_request_from_the_access_log(tmp_path):
    log = tmp_path / "access.log"
    log.write_text(
        '[29/Nov/2026:06:00:00 +0000] "GET /actions/12/" 200 9000 40ms <1>\n'
        '[29/Nov/2026:06:00:01 +0000] "GET /actions/7/" 200 9000 60ms <2>\n'
        '[29/Nov/2026:06:00:02 +0000] "POST /actions/7/update/" 409 800 30ms <2>\n'
    )
    times = run.server_times(log)
    assert times["GET /actions/N/"] == {"requests": 2, "median_ms": 50.0, "p95_ms": 60.0}
    assert times["POST /actions/N/update/"]["requests"] == 1
