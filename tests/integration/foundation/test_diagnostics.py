"""The diagnostics run goes through every hop of the real local stack, once each, in order."""

from __future__ import annotations

import time

import httpx
import pytest

from adgenius.diagnostics.pipeline import HOPS
from adgenius.localstack.auth_users import SignedInUser, set_claims, user_with_claims
from adgenius.localstack.stack import StackInfo

pytestmark = pytest.mark.integration


def _wait_done(stack: StackInfo, user: SignedInUser, run_id: str) -> dict:
    deadline = time.monotonic() + 120  # a busy machine is slow, not wrong
    run: dict = {}
    while time.monotonic() < deadline:
        r = httpx.get(
            f"{stack.functions_base_url}/diagnostics",
            params={"run_id": run_id},
            headers=user.bearer,
        )
        assert r.status_code == 200, r.text
        run = r.json()
        if run["status"] == "done":
            return run
        time.sleep(0.1)
    pytest.fail(f"diagnostics run did not finish: {run}")


def test_every_hop_happens_once_in_order(stack: StackInfo, operator: SignedInUser) -> None:
    r = httpx.post(f"{stack.functions_base_url}/diagnostics", headers=operator.bearer)
    assert r.status_code == 202, r.text
    run = _wait_done(stack, operator, r.json()["run_id"])

    assert [h["hop"] for h in run["hops"]] == list(HOPS)
    times = [h["at_ms"] for h in run["hops"]]
    assert times == sorted(times)
    assert run["duplicates"] == 0
    assert set(run["hops_ms"]) == set(HOPS)
    assert run["total_ms"] > 0  # how long it takes is diagnostics_roundtrip_ms in bench


def test_the_object_lands_in_storage(stack: StackInfo, operator: SignedInUser) -> None:
    from adgenius.cloud.storage import blob_store

    r = httpx.post(f"{stack.functions_base_url}/diagnostics", headers=operator.bearer)
    run_id = r.json()["run_id"]
    _wait_done(stack, operator, run_id)
    assert run_id.encode() in blob_store().get(f"diagnostics/{run_id}.json")


def test_redelivered_task_changes_nothing(stack: StackInfo, operator: SignedInUser) -> None:
    r = httpx.post(f"{stack.functions_base_url}/diagnostics", headers=operator.bearer)
    run_id = r.json()["run_id"]
    before = _wait_done(stack, operator, run_id)
    # Cloud Tasks delivers at least once: the same task again must not add a hop.
    again = httpx.post(f"{stack.functions_base_url}/diagnostics_task", json={"run_id": run_id})
    assert again.status_code == 200
    after = _wait_done(stack, operator, run_id)
    assert after["hops"] == before["hops"]
    assert after["total_ms"] == before["total_ms"]
    assert after["duplicates"] == before["duplicates"] + 1  # seen, absorbed, counted


@pytest.mark.parametrize("claims", [{}, {"operator": False}, {"role": "owner"}])
def test_only_operators_may_start_a_run(stack: StackInfo, unique: str, claims: dict) -> None:
    user = user_with_claims(stack.auth_emulator, f"user-{unique}@example.com", claims)
    r = httpx.post(f"{stack.functions_base_url}/diagnostics", headers=user.bearer)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_an_operator_whose_claim_was_withdrawn_is_refused_with_the_old_token(
    stack: StackInfo, unique: str
) -> None:
    user = user_with_claims(stack.auth_emulator, f"ex-op-{unique}@example.com", {"operator": True})
    url = f"{stack.functions_base_url}/diagnostics"
    assert httpx.get(url, params={"run_id": "none"}, headers=user.bearer).status_code == 404
    set_claims(user.uid, {})  # the token still says operator: true
    r = httpx.post(url, headers=user.bearer)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("header", [None, "Bearer not-a-token", "Basic abc"])
def test_unauthenticated_calls_get_401(stack: StackInfo, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = httpx.post(f"{stack.functions_base_url}/diagnostics", headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize("run_id", ["__x__", "a/b", "..", "x" * 200])
def test_impossible_run_ids_are_404(stack: StackInfo, operator: SignedInUser, run_id: str) -> None:
    r = httpx.get(
        f"{stack.functions_base_url}/diagnostics",
        params={"run_id": run_id},
        headers=operator.bearer,
    )
    assert r.status_code == 404, r.text
