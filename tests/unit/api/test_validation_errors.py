"""Pydantic errors become {field, problem} pairs; nothing else leaks into error bodies."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from adgenius.api.errors import body_of, from_validation_error
from adgenius.domain.brands import BrandCreate
from adgenius.domain.campaigns import CampaignCreate


def _details(model: type, data: object, where: str = "body") -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    error = from_validation_error(info.value, where)
    assert error.status == 400 and error.code == "invalid_request"
    return {d.field: d.problem for d in error.details}


def test_missing_unknown_and_nested_fields() -> None:
    details = _details(BrandCreate, {"extra": 1, "kit": {"colors": ["#GGGGGG"], "fonts": "x"}})
    assert details["name"] == "required"
    assert details["extra"] == "unknown field"
    assert "hex colour" in details["kit.colors"]
    assert "kit.fonts" in details


def test_list_items_are_indexed() -> None:
    details = _details(
        CampaignCreate,
        {
            "brand_id": "b",
            "name": "n",
            "objective": "sales",
            "offer": "o",
            "platforms": ["meta", "snapchat"],
        },
    )
    assert list(details) == ["platforms.1"]


def test_query_fields_are_prefixed() -> None:
    from adgenius.api.routing import ListQuery

    details = _details(ListQuery, {"limit": "many"}, where="query")
    assert list(details) == ["query.limit"]


def test_error_body_shape() -> None:
    with pytest.raises(ValidationError) as info:
        BrandCreate.model_validate({})
    body = body_of(from_validation_error(info.value, "body"), "cid-1")
    assert body == {
        "error": {
            "code": "invalid_request",
            "message": "the request body is not valid",
            "details": [{"field": "name", "problem": "required"}],
            "correlation_id": "cid-1",
        }
    }
