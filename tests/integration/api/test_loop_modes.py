"""The learning loop on the real stack: experiment decisions and metric facts fire the loop's
Firestore triggers, its Pub/Sub steps suggest or start regenerate jobs as the campaign's mode
says; daily cap, quota, redelivery, tenant isolation, undo."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_helpers import Api, AuthEmulator, Org, make_org
from google.cloud.firestore_v1.base_query import FieldFilter

from adgenius.cloud.messaging import publish
from adgenius.domain.creatives import Creative, CreativeKind, CreativeStatus, save_creative
from adgenius.loop import candidates
from adgenius.loop.messages import CandidateMessage
from adgenius.tenancy import store
from adgenius.tenancy.limits import read_usage, release_quota, reserve_quota


@pytest.fixture(scope="module")
def loop_org(auth: AuthEmulator, api_url: str) -> Org:
    """A tenant of its own: these tests spend its quota and fill its audit log."""
    return make_org(auth, api_url, "looper")


def _campaign(org: Org, mode: str, cap: int = 3) -> str:
    body = {
        "brand_id": org.brand_a, "name": f"loop {mode}", "objective": "sales",
        "offer": "Trail shoes", "platforms": ["meta"], "loop": {"mode": mode, "daily_cap": cap},
    }  # fmt: skip
    response = org.users["editor"].post("/v1/campaigns", body)
    assert response.status_code == 201, response.text
    assert response.json()["loop"] == {"mode": mode, "daily_cap": cap}
    return str(response.json()["id"])


def _creatives(org: Org, campaign_id: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        stamp = store.now()
        creative = Creative(
            id=store.new_id(), tenant_id=org.tenant_id, brand_id=org.brand_a,
            campaign_id=campaign_id, kind=CreativeKind.IMAGE, platform="meta",
            status=CreativeStatus.APPROVED,
            content={"headline": f"Run further {i}", "cta": "Shop now", "style": "gradient",
                     "ratio": "1:1"},
            engine="local", created_at=stamp, updated_at=stamp,
        )  # fmt: skip
        save_creative(creative)
        ids.append(creative.id)
    return ids


def _decide(tenant_id: str, campaign_id: str, creative_ids: list[str], losers: list[int]) -> str:
    """What experiments_evaluate writes: the experiment document with a decision naming
    losers (the engine itself is tested in the experiments suites)."""
    experiment_id = store.new_id()
    arms = [
        {"arm_id": f"arm{i}", "label": chr(65 + i), "creative_id": c}
        for i, c in enumerate(creative_ids)
    ]
    store.tenant_collection(tenant_id, "experiments").document(experiment_id).set(
        {
            "id": experiment_id, "tenant_id": tenant_id, "campaign_id": campaign_id,
            "brand_id": "b", "name": "Headline test", "arms": arms, "status": "running",
            "arm_creative_ids": creative_ids, "updated_at": store.now(),
            "decision": {"outcome": "losers", "metric": "ctr",
                         "losers": [f"arm{i}" for i in losers],
                         "reason": "A leads; B can be dropped", "input_hash": "h1"},
        }
    )  # fmt: skip
    return experiment_id


def _wait(what: str, check: Callable[[], Any], timeout_s: float = 90) -> Any:
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.5)
    raise AssertionError(f"{what} never happened; last: {last}")


def _candidates(org: Org, campaign_id: str) -> list[dict]:
    r = org.users["viewer"].get(f"/v1/campaigns/{campaign_id}/loop/candidates?limit=100")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _settled(org: Org, campaign_id: str, n: int) -> Callable[[], list[dict] | None]:
    def check() -> list[dict] | None:
        found = _candidates(org, campaign_id)
        done = [c for c in found if c["status"] != "pending"]
        return found if len(done) >= n else None

    return check


def _jobs(org: Org, campaign_id: str) -> list[dict]:
    r = org.users["viewer"].get(f"/v1/jobs?campaign_id={campaign_id}&limit=100")
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _audit(org: Org, action: str) -> list[dict]:
    r = org.users["owner"].get("/v1/audit?limit=500")
    assert r.status_code == 200, r.text
    return [e for e in r.json()["items"] if e["action"] == action]


def _status(org: Org, creative_id: str) -> str:
    return str(org.users["viewer"].get(f"/v1/creatives/{creative_id}").json()["status"])


def test_a_loser_in_auto_mode_starts_exactly_one_job_even_when_redelivered(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "auto")
    a, b = _creatives(org, campaign, 2)
    experiment = _decide(org.tenant_id, campaign, [a, b], losers=[1])
    [cand] = _wait("the automatic job", _settled(org, campaign, 1))
    assert cand["status"] == "started" and cand["automatic"] and cand["creative_id"] == b
    assert cand["reason"] == "experiment_loser" and cand["evidence"]["experiment_id"] == experiment
    assert cand["started_by"] == {"type": "system", "id": "learning-loop"}
    [job] = _jobs(org, campaign)
    assert job["id"] == cand["job_id"] and job["kind"] == "image_set"
    assert _status(org, b) == "rejected" and _status(org, a) == "approved"

    # redelivery, three ways: the decision rewritten, the message published again, and a
    # delivery that finds the candidate half-done (as after a crash) -- still one job, one slot
    ref = store.tenant_collection(org.tenant_id, "experiments").document(experiment)
    ref.update({"updated_at": store.now()})
    message = CandidateMessage(
        tenant_id=org.tenant_id, campaign_id=campaign, creative_id=b, reason="experiment_loser",
        summary="again",
    )  # fmt: skip
    publish("loop-act", message)
    store.tenant_collection(org.tenant_id, "loop_candidates").document(cand["id"]).update(
        {"status": "pending"}
    )
    store.tenant_collection(org.tenant_id, "creatives").document(b).update({"status": "approved"})
    assert candidates.handle(message) is not None
    time.sleep(4)  # the republished message and the rewrite's trigger have been handled by now
    assert [j["id"] for j in _jobs(org, campaign)] == [job["id"]]
    slots = store.tenant_collection(org.tenant_id, "loop_slots").stream()
    assert [s.id for s in slots if s.id.startswith(campaign)] == [cand["slot"]]
    started = [
        e for e in _audit(org, "loop.regenerate_started") if e["details"]["job_id"] == job["id"]
    ]
    assert len(started) == 1
    entry = started[0]
    assert entry["actor"] == {"type": "system", "id": "learning-loop"}
    assert entry["target"] == f"creatives/{b}" and entry["details"]["reason"] == "experiment_loser"
    assert entry["details"]["evidence"]["experiment_id"] == experiment


def test_the_daily_cap_holds_under_a_burst(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "auto", cap=2)
    ids = _creatives(org, campaign, 7)
    _decide(org.tenant_id, campaign, ids, losers=list(range(1, 7)))  # six at once
    found = _wait("six settled candidates", _settled(org, campaign, 6))
    started = [c for c in found if c["status"] == "started"]
    held = [c for c in found if c["status"] == "suggested"]
    assert len(started) == 2 and len(held) == 4
    assert {c["held_back"] for c in held} == {"daily_cap"}
    assert sorted(j["id"] for j in _jobs(org, campaign)) == sorted(c["job_id"] for c in started)


def test_held_back_candidates_try_again_within_the_cap(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "auto", cap=1)
    ids = _creatives(org, campaign, 3)
    _decide(org.tenant_id, campaign, ids, losers=[1, 2])
    found = _wait("two settled candidates", _settled(org, campaign, 2))
    assert sorted(c["status"] for c in found) == ["started", "suggested"]
    # the marketer raises the cap; the campaign's next facts ask for a check, which retries
    editor = org.users["editor"]
    etag = editor.get(f"/v1/campaigns/{campaign}").headers["ETag"]
    raised = editor.patch(
        f"/v1/campaigns/{campaign}", {"loop": {"mode": "auto", "daily_cap": 2}},
        headers={"If-Match": etag},
    )  # fmt: skip
    assert raised.status_code == 200, raised.text
    _facts(org.tenant_id, ids[0], [0.02, 0.02, 0.02])  # too few days for a fatigue verdict

    def both_started() -> list[dict] | None:
        found = _candidates(org, campaign)
        return found if all(c["status"] == "started" for c in found) else None

    assert len(_wait("the held-back candidate's job", both_started)) == 2
    # a further check finds the cap used up: nothing more starts
    _facts(org.tenant_id, ids[0], [0.02, 0.02, 0.02, 0.02])
    time.sleep(4)
    assert len(_jobs(org, campaign)) == 2


def test_the_quota_is_never_exceeded(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "auto", cap=10)
    ids = _creatives(org, campaign, 6)
    limit = 1000.0  # the pro plan's images
    filler = limit - read_usage(org.tenant_id)["images"] - 2  # room for two one-image jobs
    reserve_quota(org.tenant_id, "images", filler)
    try:
        _decide(org.tenant_id, campaign, ids, losers=list(range(1, 6)))  # five need one each
        found = _wait("five settled candidates", _settled(org, campaign, 5))
        started = [c for c in found if c["status"] == "started"]
        assert 1 <= len(started) <= 2
        assert {c["held_back"] for c in found if c["status"] == "suggested"} == {"quota"}
        assert read_usage(org.tenant_id)["images"] <= limit
        assert len(_jobs(org, campaign)) == len(started)
    finally:
        release_quota(org.tenant_id, "images", filler)


def test_suggest_mode_suggests_and_a_click_starts_one_job(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "suggest")
    a, b, c = _creatives(org, campaign, 3)
    _decide(org.tenant_id, campaign, [a, b, c], losers=[1, 2])
    found = _wait("two suggestions", _settled(org, campaign, 2))
    assert {x["status"] for x in found} == {"suggested"} and not any(x["automatic"] for x in found)
    assert _jobs(org, campaign) == [] and _status(org, b) == "approved"
    by_creative = {x["creative_id"]: x for x in found}
    base = f"/v1/campaigns/{campaign}/loop/candidates"
    regen = f"{base}/{by_creative[b]['id']}/regenerate"
    assert org.users["viewer"].post(regen).status_code == 403
    first = org.users["editor"].post(regen)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "started" and first.json()["started_by"]["type"] == "user"
    assert org.users["editor"].post(regen).status_code == 200  # a double click
    assert [j["id"] for j in _jobs(org, campaign)] == [by_creative[b]["job_id"]]
    dismissed = org.users["editor"].post(f"{base}/{by_creative[c]['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    assert org.users["editor"].post(f"{base}/{by_creative[c]['id']}/regenerate").status_code == 409
    assert org.users["editor"].post(f"{base}/{by_creative[b]['id']}/undo").status_code == 409
    assert org.users["editor"].post(f"{base}/nope/regenerate").status_code == 404


def test_undo_archives_what_the_job_made_and_restores_the_creative(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "auto")
    a, b = _creatives(org, campaign, 2)
    _decide(org.tenant_id, campaign, [a, b], losers=[1])
    [cand] = _wait("the automatic job", _settled(org, campaign, 1))
    job = _wait(
        "the job to end",
        lambda: next((j for j in _jobs(org, campaign) if j["status"] == "succeeded"), None),
    )
    made = [
        s.id
        for s in store.tenant_collection(org.tenant_id, "creatives")
        .where(filter=FieldFilter("job_id", "==", job["id"]))
        .stream()
    ]
    assert made and _status(org, b) == "rejected"
    url = f"/v1/campaigns/{campaign}/loop/candidates/{cand['id']}/undo"
    assert org.users["viewer"].post(url).status_code == 403
    undone = org.users["editor"].post(url)
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "undone"
    assert undone.json()["undone_by"]["id"] == org.uids["editor"]
    assert all(_status(org, c) == "archived" for c in made)
    assert _status(org, b) == "approved"
    assert org.users["editor"].post(url).status_code == 200  # undo twice: nothing more
    [entry] = [e for e in _audit(org, "loop.undone") if e["details"]["candidate_id"] == cand["id"]]
    assert sorted(entry["details"]["archived"]) == sorted(made) and entry["details"]["restored"]


def test_off_does_nothing(loop_org: Org) -> None:
    org = loop_org
    off = _campaign(org, "off")
    probe = _campaign(org, "suggest")  # handled by the same steps: when it shows, off was too
    off_ids = _creatives(org, off, 2)
    probe_ids = _creatives(org, probe, 2)
    _decide(org.tenant_id, off, off_ids, losers=[1])
    _decide(org.tenant_id, probe, probe_ids, losers=[1])
    _wait("the probe's suggestion", _settled(org, probe, 1))
    time.sleep(2)
    assert _candidates(org, off) == [] and _jobs(org, off) == []
    assert _status(org, off_ids[1]) == "approved"


def test_another_tenants_decisions_never_act_here(loop_org: Org, other: Org) -> None:
    org = loop_org
    mine = _campaign(org, "auto")
    a, b = _creatives(org, mine, 2)
    theirs = _campaign(other, "auto")
    # the other tenant's experiment names our creatives, in their campaign and in ours
    _decide(other.tenant_id, theirs, [a, b], losers=[0, 1])
    _decide(other.tenant_id, mine, [a, b], losers=[0, 1])
    # and a forged message names us with their tenant: read under their path, it finds nothing
    forged = CandidateMessage(
        tenant_id=other.tenant_id, campaign_id=mine, creative_id=a, reason="fatigue",
        summary="forged",
    )  # fmt: skip
    publish("loop-act", forged)
    # a probe in the other tenant shows their loop steps have run
    probe = _creatives(other, theirs, 2)
    _decide(other.tenant_id, theirs, probe, losers=[1])
    _wait("the probe's job", lambda: _jobs(other, theirs))
    time.sleep(2)
    assert _candidates(org, mine) == [] and _jobs(org, mine) == []
    assert _status(org, a) == "approved" and _status(org, b) == "approved"
    assert [c["creative_id"] for c in _candidates(other, theirs)] == [probe[1]]


def _facts(tenant_id: str, creative_id: str, ctrs: list[float]) -> None:
    today = datetime.now(UTC).date()
    facts = store.tenant_collection(tenant_id, "metric_facts")
    for d, ctr in enumerate(reversed(ctrs), start=1):
        day = (today - timedelta(days=d)).isoformat()
        facts.document(f"{creative_id}_meta_{day}_default").set(
            {"tenant_id": tenant_id, "creative_id": creative_id, "platform": "meta", "date": day,
             "attribution": "default", "impressions": 5000, "clicks": round(5000 * ctr)}
        )  # fmt: skip


def test_a_fatigued_creative_becomes_a_suggestion(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "suggest")
    tired, steady = _creatives(org, campaign, 2)
    _facts(org.tenant_id, steady, [0.02, 0.021, 0.019, 0.02, 0.02, 0.021, 0.02, 0.019, 0.02, 0.02])
    _facts(org.tenant_id, tired, [0.03 - 0.0015 * i for i in range(10)])
    [cand] = _wait("the fatigue suggestion", _settled(org, campaign, 1))
    assert cand["creative_id"] == tired and cand["reason"] == "fatigue"
    assert cand["status"] == "suggested" and cand["summary"].startswith("fatigued: CTR trend")
    assert cand["evidence"]["decline"] < -0.2
    time.sleep(2)
    assert len(_candidates(org, campaign)) == 1 and _jobs(org, campaign) == []


def test_the_loop_setting_is_validated_and_patchable(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "off")
    editor: Api = org.users["editor"]
    got = editor.get(f"/v1/campaigns/{campaign}")
    wrong = {"loop": {"mode": "sometimes", "daily_cap": 99}}
    bad = editor.patch(
        f"/v1/campaigns/{campaign}", wrong, headers={"If-Match": got.headers["ETag"]}
    )
    assert bad.status_code == 400
    fields = {d["field"] for d in bad.json()["error"]["details"]}
    assert fields == {"loop.mode", "loop.daily_cap"}
    ok = editor.patch(f"/v1/campaigns/{campaign}", {"loop": {"mode": "auto", "daily_cap": 5}},
                      headers={"If-Match": got.headers["ETag"]})  # fmt: skip
    assert ok.status_code == 200, ok.text
    assert ok.json()["loop"] == {"mode": "auto", "daily_cap": 5}


def test_turning_the_loop_on_suggests_what_was_decided_while_it_was_off(loop_org: Org) -> None:
    org = loop_org
    campaign = _campaign(org, "off")
    ids = _creatives(org, campaign, 3)
    _decide(org.tenant_id, campaign, ids, losers=[1, 2])
    archived = _decide(org.tenant_id, campaign, ids, losers=[0])  # an experiment that is over
    store.tenant_collection(org.tenant_id, "experiments").document(archived).update(
        {"status": "archived"}
    )
    time.sleep(2)
    assert _candidates(org, campaign) == []  # off: the decisions were passed over
    editor: Api = org.users["editor"]
    etag = editor.get(f"/v1/campaigns/{campaign}").headers["ETag"]
    on = editor.patch(f"/v1/campaigns/{campaign}", {"loop": {"mode": "suggest", "daily_cap": 3}},
                      headers={"If-Match": etag})  # fmt: skip
    assert on.status_code == 200, on.text
    found = _wait("the suggestions", _settled(org, campaign, 2))
    assert sorted(c["creative_id"] for c in found) == sorted(ids[1:])
    assert {c["status"] for c in found} == {"suggested"} and _jobs(org, campaign) == []
    # Turning it on again (a cap change) suggests nothing twice.
    etag = editor.get(f"/v1/campaigns/{campaign}").headers["ETag"]
    again = editor.patch(f"/v1/campaigns/{campaign}", {"loop": {"mode": "suggest", "daily_cap": 4}},
                         headers={"If-Match": etag})  # fmt: skip
    assert again.status_code == 200, again.text
    time.sleep(2)
    assert sorted(c["id"] for c in _candidates(org, campaign)) == sorted(c["id"] for c in found)
