"""The schema rebuilt from the CDKTF packages is the provider's: facts of google 6.50.0 hold."""

from __future__ import annotations

from typing import Any


def test_it_is_the_6_50_providers_schema(schemas: dict[str, dict[str, Any]]) -> None:
    assert {s["provider_version"] for s in schemas.values()} == {"6.50.0"}
    assert len(schemas["google"]["resources"]) > 1000
    assert len(schemas["google-beta"]["resources"]) > len(schemas["google"]["resources"])


def test_required_arguments_and_nested_blocks(schemas: dict[str, dict[str, Any]]) -> None:
    fn = schemas["google"]["resources"]["google_cloudfunctions2_function"]
    assert fn["attributes"]["name"]["required"] and fn["attributes"]["location"]["required"]
    assert not fn["attributes"]["description"]["required"]
    service = fn["blocks"]["service_config"]["block"]
    secret_env = service["blocks"]["secret_environment_variables"]["block"]["attributes"]
    assert {k for k, v in secret_env.items() if v["required"]} == {
        "key",
        "project_id",
        "secret",
        "version",
    }
    trigger = fn["blocks"]["event_trigger"]["block"]
    assert trigger["blocks"]["event_filters"]["nesting"] == "set"
    sub = schemas["google"]["resources"]["google_pubsub_subscription"]
    assert sub["blocks"]["dead_letter_policy"]["block"]["attributes"]["max_delivery_attempts"]
    assert sub["blocks"]["push_config"]["block"]["attributes"]["push_endpoint"]["required"]
    # A block the provider requires (min_items 1), and a list block passed as a function argument.
    secret = schemas["google"]["resources"]["google_secret_manager_secret"]
    assert secret["blocks"]["replication"]["min_items"] == 1
    assert "topics" in secret["blocks"] and "topics" not in secret["attributes"]


def test_computed_attributes_are_readable(schemas: dict[str, dict[str, Any]]) -> None:
    fn = schemas["google"]["resources"]["google_cloudfunctions2_function"]
    # `url` and `state` are computed-only: readable, never arguments.
    assert {"url", "state"} <= set(fn["readable"]) and "url" not in fn["attributes"]
    assert "uri" in fn["blocks"]["service_config"]["block"]["readable"]
    site = schemas["google-beta"]["resources"]["google_firebase_hosting_site"]
    assert "default_url" in site["readable"]


def test_firebase_apps_and_hosting_are_beta_only(schemas: dict[str, dict[str, Any]]) -> None:
    for name in (
        "google_firebase_project",
        "google_firebase_web_app",
        "google_firebase_hosting_site",
    ):
        assert name not in schemas["google"]["resources"]
        assert name in schemas["google-beta"]["resources"]
    assert "google_firebase_web_app_config" in schemas["google-beta"]["data_sources"]


def test_write_only_secret_data_exists(schemas: dict[str, dict[str, Any]]) -> None:
    version = schemas["google"]["resources"]["google_secret_manager_secret_version"]["attributes"]
    assert "secret_data_wo" in version and "secret_data_wo_version" in version
