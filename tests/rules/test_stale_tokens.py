"""Tokens older than the change: a member removed, demoted, limited to a brand, or whose tenant is
being deleted still holds an ID token whose custom claims say what was true before (for up to an
hour). The rules must follow the server's records (the member document, the tenant document), so
each test reads with the same token before and after the change: allowed, then denied.

The listener tests hold a real web-SDK listener (tests/rules/listen_probe.cjs, firebase/firestore
from web/node_modules) open across the change and wait for the listener's error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from queue import Empty, Queue
from urllib.parse import urlsplit

import pytest
from rules_rest import PROJECT, Firestore, id_token

HERE = Path(__file__).resolve().parent
PROBE = HERE / "listen_probe.cjs"
WEB_FIREBASE = HERE.parents[1] / "web" / "node_modules" / "firebase"
A, B = "brandA", "brandB"


def _seed(admin: Firestore, t: str, uid: str, role: str) -> None:
    docs: dict[str, dict] = {
        f"tenants/{t}": {"tenant_id": t, "name": t, "plan": "starter"},
        f"tenants/{t}/members/{uid}": {
            "tenant_id": t, "uid": uid, "role": role, "brand_ids": None,
        },
        f"tenants/{t}/api_keys/k1": {"tenant_id": t},
        f"tenants/{t}/audit/ev1": {"tenant_id": t},
    }  # fmt: skip
    for brand, suffix in ((A, "A"), (B, "B")):
        docs[f"tenants/{t}/brands/{brand}"] = {"tenant_id": t, "name": brand}
        docs[f"tenants/{t}/creatives/cr{suffix}"] = {"tenant_id": t, "brand_id": brand}
    for path, data in docs.items():
        assert admin.set(path, data).status_code == 200


@pytest.fixture(scope="module")
def admin(rules_emulator: str) -> Firestore:
    return Firestore(rules_emulator, PROJECT, "owner")  # "owner" bypasses rules


def _client(rules_emulator: str, uid: str, t: str, role: str) -> Firestore:
    """A token minted before the change: its claims keep the old tenant and role, no limit."""
    return Firestore(rules_emulator, PROJECT, id_token(PROJECT, uid, tenant_id=t, role=role))


def _remove(admin: Firestore, t: str, uid: str) -> None:
    # What members.remove_member commits (the users/{uid} record is server-only anyway).
    assert admin.delete(f"tenants/{t}/members/{uid}").status_code == 200


def _demote(admin: Firestore, t: str, uid: str) -> None:
    assert admin.update(f"tenants/{t}/members/{uid}", {"role": "viewer"}).status_code == 200


def _limit(admin: Firestore, t: str, uid: str) -> None:
    assert admin.update(f"tenants/{t}/members/{uid}", {"brand_ids": [A]}).status_code == 200


def _delete_tenant(admin: Firestore, t: str, uid: str) -> None:
    # What deletion.request_deletion commits at once: the tenant marked, its members removed.
    assert admin.update(f"tenants/{t}", {"status": "deleting"}).status_code == 200
    _remove(admin, t, uid)


def test_removed_member_reads_nothing(rules_emulator: str, admin: Firestore) -> None:
    t, uid = "stale-removed", "ed-removed"
    _seed(admin, t, uid, "editor")
    db = _client(rules_emulator, uid, t, "editor")
    reads = (
        lambda: db.get(f"tenants/{t}/brands/{A}"),
        lambda: db.get(f"tenants/{t}"),
        lambda: db.query(f"tenants/{t}/creatives"),
        lambda: db.query(f"tenants/{t}/members"),
    )
    assert [r().status_code for r in reads] == [200] * len(reads)
    _remove(admin, t, uid)
    assert [r().status_code for r in reads] == [403] * len(reads)


def test_demoted_admin_no_longer_reads_api_keys_or_audit(
    rules_emulator: str, admin: Firestore
) -> None:
    t, uid = "stale-demoted", "admin-demoted"
    _seed(admin, t, uid, "admin")
    db = _client(rules_emulator, uid, t, "admin")
    managed = (
        lambda: db.get(f"tenants/{t}/api_keys/k1"),
        lambda: db.query(f"tenants/{t}/api_keys"),
        lambda: db.get(f"tenants/{t}/audit/ev1"),
        lambda: db.query(f"tenants/{t}/audit"),
    )
    assert [r().status_code for r in managed] == [200] * len(managed)
    _demote(admin, t, uid)
    assert [r().status_code for r in managed] == [403] * len(managed)
    assert db.get(f"tenants/{t}/brands/{A}").status_code == 200  # a viewer still reads brands


def test_member_limited_to_a_brand_later_reads_only_that_brand(
    rules_emulator: str, admin: Firestore
) -> None:
    t, uid = "stale-limited", "ed-limited"
    _seed(admin, t, uid, "editor")
    db = _client(rules_emulator, uid, t, "editor")
    other_brand = (
        lambda: db.get(f"tenants/{t}/brands/{B}"),
        lambda: db.get(f"tenants/{t}/creatives/crB"),
        lambda: db.query(f"tenants/{t}/creatives"),  # unfiltered: would include brand B
        lambda: db.query(f"tenants/{t}/creatives", ("brand_id", B)),
    )
    assert [r().status_code for r in other_brand] == [200] * len(other_brand)
    _limit(admin, t, uid)
    assert [r().status_code for r in other_brand] == [403] * len(other_brand)
    assert db.get(f"tenants/{t}/brands/{A}").status_code == 200
    assert db.query(f"tenants/{t}/creatives", ("brand_id", A)).status_code == 200


@pytest.mark.parametrize(
    "state",
    ["deleting", "deleting_member_kept", "purged_member_kept"],
)
def test_tenant_being_deleted_is_not_readable(
    rules_emulator: str, admin: Firestore, state: str
) -> None:
    """`deleting`: what request_deletion commits. The others keep a member document (one that a
    join racing the deletion could write) to show the tenant document alone ends access."""
    t, uid = f"stale-{state}", f"owner-{state}"
    _seed(admin, t, uid, "owner")
    db = _client(rules_emulator, uid, t, "owner")
    reads = (
        lambda: db.get(f"tenants/{t}/brands/{A}"),
        lambda: db.query(f"tenants/{t}/creatives"),
        lambda: db.query(f"tenants/{t}/audit"),
    )
    assert [r().status_code for r in reads] == [200] * len(reads)
    if state == "deleting":
        _delete_tenant(admin, t, uid)
    elif state == "deleting_member_kept":
        assert admin.update(f"tenants/{t}", {"status": "deleting"}).status_code == 200
    else:
        assert admin.delete(f"tenants/{t}").status_code == 200
    assert [r().status_code for r in reads] == [403] * len(reads)


class Probe:
    """listen_probe.cjs in a process of its own; its JSON lines arrive on a queue."""

    def __init__(self, rules_emulator: str, uid: str, claims: dict, collection: str) -> None:
        url = urlsplit(rules_emulator)
        self.proc = subprocess.Popen(
            ["node", str(PROBE), url.hostname or "", str(url.port), PROJECT, uid,
             json.dumps(claims), collection],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.events: Queue[dict] = Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.events.put(json.loads(line))

    def next_event(self, timeout: float) -> dict | None:
        try:
            return self.events.get(timeout=timeout)
        except Empty:
            return None

    def mark(self, name: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(name + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


@pytest.fixture
def probes(rules_emulator: str) -> Iterator[Callable[[str, dict, str], Probe]]:
    started: list[Probe] = []

    def start(uid: str, claims: dict, collection: str) -> Probe:
        started.append(Probe(rules_emulator, uid, claims, collection))
        return started[-1]

    yield start
    for probe in started:
        probe.stop()


# Which document of the listened collection the test changes after the change of access.
TOUCH = {"brands": A, "api_keys": "k1", "creatives": "crA"}


@pytest.mark.skipif(
    not WEB_FIREBASE.exists() or shutil.which("node") is None,
    reason="needs node and the web app's node_modules (firebase) for a real listener",
)
@pytest.mark.parametrize(
    ("change", "role", "collection"),
    [
        ("removed", "editor", "brands"),
        ("demoted", "admin", "api_keys"),
        ("limited", "editor", "creatives"),
        ("tenant_deleted", "owner", "creatives"),
    ],
)
def test_a_live_listener_gets_nothing_after_the_change(
    admin: Firestore,
    probes: Callable[[str, dict, str], Probe],
    change: str,
    role: str,
    collection: str,
    record_property: Callable[[str, object], None],
) -> None:
    """A listener opened before the change receives no data written after it: the next change to
    its results ends it with permission-denied. (The emulator, like Firestore, re-evaluates a
    listener's rules when its results change, not when a document its rules get() changes; so an
    idle listener is ended by the first write it would have received, and receives nothing.)"""
    t, uid = f"listen-{change}", f"u-listen-{change}"
    _seed(admin, t, uid, role)
    probe = probes(uid, {"tenant_id": t, "role": role}, f"tenants/{t}/{collection}")
    first = probe.next_event(timeout=30)
    assert first is not None and first["event"] == "data" and first["docs"] >= 1, first
    apply = {"removed": _remove, "demoted": _demote, "limited": _limit}.get(change, _delete_tenant)
    apply(admin, t, uid)
    probe.mark("changed")
    event = probe.next_event(timeout=1.0)  # ended by the change alone? (not on the emulator)
    if event is None:
        probe.mark("touched")
        write = admin.update(f"tenants/{t}/{collection}/{TOUCH[collection]}", {"touched": True})
        assert write.status_code == 200
        event = probe.next_event(timeout=30)
    assert event is not None, "the listener neither failed nor got data"
    assert event["event"] == "error", f"data reached a listener whose access ended: {event}"
    assert event["code"] == "permission-denied", event
    record_property("listener_ended", f"{event['ms']} ms after {event['after']}")
