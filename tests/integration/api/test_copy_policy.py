"""Ad policy compliance through the API: rules, validation at spans, campaign summaries."""

from __future__ import annotations

from api_helpers import Org


def test_policies_list_every_rule_with_its_source(org: Org) -> None:
    response = org.users["viewer"].get("/v1/copy/policies")
    assert response.status_code == 200, response.text
    rules = {r["id"]: r for r in response.json()["rules"]}
    assert rules["google.phone_number"]["severity"] == "error"
    assert rules["meta.personal_attributes"]["platform_family"] == "meta"
    assert all(r["source"].startswith("https://") for r in rules.values())


def test_validate_reports_each_violation_at_its_span(org: Org) -> None:
    headline = "FREE Trail Shoes!!"
    description = "Call 1-800-555-0199 today. Best shoes 🏃 for {KeyWord:trail runners}."
    response = org.users["viewer"].post(
        "/v1/copy/validate",
        {
            "platform": "google_rsa",
            "headlines": [headline, "{KeyWord:Lightweight Trail Running Shoe}", "Grip you trust"],
            "descriptions": [description, "Free returns for 30 days."],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    found = {(v["field"], v["rule"]): v for v in body["violations"]}
    caps = found[("headlines[0]", "google.capitalization.excessive")]
    assert headline[caps["span"][0] : caps["span"][1]] == "FREE"
    assert caps["source"] == "https://support.google.com/adspolicy/answer/14848295"
    phone = found[("descriptions[0]", "google.phone_number")]
    assert description[phone["span"][0] : phone["span"][1]] == "1-800-555-0199"
    emoji = found[("descriptions[0]", "google.symbols.unsupported")]
    # Spans count code points: Python slicing = JavaScript Array.from(text).slice().
    assert description[emoji["span"][0] : emoji["span"][1]] == "🏃"
    assert found[("descriptions[0]", "google.claims.superlative")]["severity"] == "warning"
    assert not [v for v in body["violations"] if v["field"] == "headlines[1]"]  # 30 served
    assert body["served"]["headlines"][1] == "Lightweight Trail Running Shoe"
    summary = body["compliance"]
    assert summary["compliant"] is False and summary["errors"] >= 4
    assert summary["by_rule"]["google.phone_number"] == 1


def test_validate_meta_flags_special_categories_and_personal_attributes(org: Org) -> None:
    response = org.users["viewer"].post(
        "/v1/copy/validate",
        {
            "platform": "meta",
            "primary_texts": ["Are you overweight? Get a personal loan for our programme."],
            "headlines": ["Your plan"],
        },
    )
    body = response.json()
    assert {v["rule"] for v in body["violations"]} >= {
        "meta.personal_attributes",
        "meta.special_ad_category.credit",
    }
    assert body["compliance"]["special_ad_categories"] == ["credit"]


def test_validate_rejects_bad_input_naming_the_field(org: Org) -> None:
    viewer = org.users["viewer"]
    for body, field in (
        ({"platform": "tiktok"}, "platform"),
        ({"platform": "meta", "language": "xx"}, "language"),
        ({"platform": "meta", "headlines": ["x"] * 21}, "headlines"),
        ({"platform": "meta", "headlines": ["x" * 501]}, "headlines"),
        ({"platform": "meta", "colour": "red"}, "colour"),
    ):
        response = viewer.post("/v1/copy/validate", body)
        assert response.status_code == 400, (body, response.text)
        assert any(field in d["field"] for d in response.json()["error"]["details"]), response.text


def test_campaign_compliance_sums_its_copy_creatives(new_org: Org, other: Org) -> None:
    editor = new_org.users["editor"]
    made = editor.post(
        f"/v1/campaigns/{new_org.campaign_a}/copy", {"platform": "google_rsa", "variants": 2}
    )
    assert made.status_code == 201, made.text
    variants = made.json()["variants"]
    for variant in variants:
        assert variant["compliance"]["errors"] == sum(
            v["severity"] == "error" for v in variant["violations"]
        )
        assert all(v["source"] for v in variant["violations"] if v["rule"].startswith("google."))
    response = new_org.users["viewer"].get(f"/v1/campaigns/{new_org.campaign_a}/compliance")
    assert response.status_code == 200, response.text
    body = response.json()
    ids = {c["creative_id"] for c in body["creatives"]}
    assert {v["id"] for v in variants} <= ids
    assert body["copy_creatives"] == len(body["creatives"])
    assert body["compliance"]["errors"] == sum(c["compliance"]["errors"] for c in body["creatives"])
    assert body["compliant_creatives"] == sum(
        c["compliance"]["compliant"] for c in body["creatives"]
    )
    foreign = other.users["owner"].get(f"/v1/campaigns/{new_org.campaign_a}/compliance")
    assert foreign.status_code == 404


def test_hostile_campaign_brief_gives_rewritten_or_flagged_copy(new_org: Org) -> None:
    editor = new_org.users["editor"]
    created = editor.post(
        "/v1/campaigns",
        {
            "brand_id": new_org.brand_a,
            "name": "Blender blitz",
            "objective": "sales",
            "offer": "PowerBlend 900 blender 🔥",
            "product_facts": [
                "FREE shipping!!!",
                "Call 1-800-555-0199 today",
                "Best blender of 2025",
                "#1 rated!!",
                "Visit www.blendco.example",
            ],
            "audiences": ["BUSY home cooks"],
            "platforms": ["google_rsa", "meta"],
            "languages": ["en", "ja"],
        },
    )
    assert created.status_code == 201, created.text
    campaign = created.json()["id"]
    for platform, language in (("google_rsa", "en"), ("meta", "ja"), ("google_rsa", "ja")):
        made = editor.post(
            f"/v1/campaigns/{campaign}/copy",
            {"platform": platform, "language": language, "variants": 2, "seed": 11},
        )
        assert made.status_code == 201, made.text
        for variant in made.json()["variants"]:
            texts = [t for v in variant["fields"].values() if isinstance(v, list) for t in v]
            joined = " | ".join(texts)
            assert "555" not in joined and "www." not in joined and "!!" not in joined
            assert "FREE" not in joined and "BUSY" not in joined
            errors = [v for v in variant["violations"] if v["severity"] == "error"]
            assert variant["compliant"] == (not errors)  # whatever still fails is flagged
            assert not [e for e in errors if e["rule"].startswith("google.")], errors
            assert any("call asset" in note for note in variant["notes"])
    summary = editor.get(f"/v1/campaigns/{campaign}/compliance").json()
    assert summary["copy_creatives"] == 6
