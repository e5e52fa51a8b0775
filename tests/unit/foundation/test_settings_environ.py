"""The settings read from the environment (Settings.from_environ, get_settings): prefixed names,
the variables a field names itself (the first one set wins), names in any case, values as text
validated by pydantic, and the emulator guard of gcp mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from adgenius import environment
from adgenius.settings import (
    EMULATOR_VARIABLES,
    PROJECT_VARIABLES,
    Engine,
    Mode,
    Settings,
    get_settings,
    reset_settings_cache,
)


def test_prefixed_variables_are_read_and_converted() -> None:
    s = Settings.from_environ(
        {
            "ADGENIUS_MODE": "local",
            "ADGENIUS_ENGINE": "vertex",
            "ADGENIUS_PIPELINE_MAX_REDRIVES": "5",
            "ADGENIUS_PIPELINE_STALE_JOB_S": "2.5",
            "ADGENIUS_DATA_DIR": "/tmp/adgenius-data",
            "ADGENIUS_INVOKER_SERVICE_ACCOUNT": "invoker@x.iam.gserviceaccount.com",
            "UNRELATED": "ignored",
            "ADGENIUS_NOT_A_SETTING": "ignored",
        }
    )
    assert s.engine is Engine.VERTEX
    assert s.pipeline_max_redrives == 5
    assert s.pipeline_stale_job_s == 2.5
    assert s.data_dir == Path("/tmp/adgenius-data")
    assert s.invoker_service_account == "invoker@x.iam.gserviceaccount.com"
    # What is not given keeps its default.
    assert s.region == "us-central1"
    assert s.trace_file is None


def test_names_are_matched_in_any_case() -> None:
    s = Settings.from_environ({"adgenius_region": "europe-west1", "Firestore_Emulator_Host": "h:1"})
    assert s.region == "europe-west1"
    assert s.firestore_emulator_host == "h:1"


def test_a_field_reads_its_own_variables_and_the_first_one_set_wins() -> None:
    both = {"GOOGLE_CLOUD_PROJECT": "from-google", "ADGENIUS_PROJECT_ID": "from-adgenius"}
    assert Settings.from_environ(both).project_id == "from-adgenius"
    assert Settings.from_environ({"GCLOUD_PROJECT": "g"}).project_id == "g"
    assert Settings.from_environ({}).project_id == "demo-adgenius"
    # Standard Google names are read as they are, without the prefix.
    assert (
        Settings.from_environ({"ADGENIUS_FIRESTORE_EMULATOR_HOST": "x:1"}).firestore_emulator_host
        is None
    )
    assert Settings.from_environ({"QDRANT_URL": "http://q:6333"}).qdrant_url == "http://q:6333"


def test_a_bad_value_names_its_field() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings.from_environ({"ADGENIUS_PIPELINE_MAX_REDRIVES": "many"})
    assert raised.value.errors()[0]["loc"] == ("pipeline_max_redrives",)
    with pytest.raises(ValidationError) as raised:
        Settings.from_environ({"ADGENIUS_TRACE_SAMPLE_RATIO": "1.5"})
    assert raised.value.errors()[0]["loc"] == ("trace_sample_ratio",)


def test_gcp_mode_refuses_an_emulator_given_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in EMULATOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValidationError, match="FIRESTORE_EMULATOR_HOST"):
        Settings.from_environ({"ADGENIUS_MODE": "gcp", "FIRESTORE_EMULATOR_HOST": "h:1"})
    assert Settings.from_environ({"ADGENIUS_MODE": "gcp"}).mode is Mode.GCP


def test_get_settings_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADGENIUS_PIPELINE_MAX_REDRIVES", "7")
    monkeypatch.setenv("ADGENIUS_MODE", "local")
    reset_settings_cache()
    try:
        assert get_settings().pipeline_max_redrives == 7
        monkeypatch.setenv("ADGENIUS_MODE", "gcp")
        monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "h:2")
        reset_settings_cache()
        with pytest.raises(ValidationError, match="PUBSUB_EMULATOR_HOST"):
            get_settings()
    finally:
        monkeypatch.undo()
        reset_settings_cache()


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"GCLOUD_PROJECT": "g"},
        {"GOOGLE_CLOUD_PROJECT": "from-google", "ADGENIUS_PROJECT_ID": "from-adgenius"},
        {"google_cloud_project": "lower", "GCLOUD_PROJECT": "g"},
        {"ADGENIUS_PROJECT_ID": ""},
    ],
)
def test_the_firestore_clients_project_is_the_settings_project(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    # adgenius.environment.project_id builds the Firestore client without the settings (cold
    # starts); both must name the same project, or the sweeper would sweep another database.
    for name in list(os.environ):
        if name.upper() in PROJECT_VARIABLES:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert environment.project_id() == Settings.from_environ().project_id
