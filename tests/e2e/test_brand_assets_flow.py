"""The brand's own pictures end to end in headless Debian Chromium, against the real local stack.

A marketer signs in, drops a product photo on the brand page's picture library, starts an image
set for a campaign and finds the product in the gallery: the creatives record the picture's id,
and the rendered images (as the browser loads them and as Storage holds them) show the product's
colour. Python Playwright drives the browser here (the TypeScript specs in web/e2e/ cover the rest
of the app), so this flow runs with the session's stack and no extra node process.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import numpy as np
import pytest
from browser_session import sign_in
from PIL import Image

from adgenius.cloud.storage import blob_store
from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import create_workspace
from adgenius.settings import REPO_ROOT
from adgenius.testing import sample_media as samples

pytestmark = [pytest.mark.integration, pytest.mark.e2e, pytest.mark.slow]

# Nothing in the demo brand's palette (browns and cream) nor in the local backgrounds is close.
PRODUCT_COLOUR = (214, 38, 170)
ARTIFACTS = REPO_ROOT / "artifacts" / "e2e"


def _share_of_colour(data: bytes, colour: tuple[int, int, int]) -> float:
    array = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)
    return float((np.abs(array - np.array(colour)).sum(axis=-1) < 40).mean())


def _drop_file(page: Any, target: Any, name: str, mime: str, data: bytes) -> None:
    """A real drop event carrying a File, as a file dragged from the desktop produces."""
    transfer = page.evaluate_handle(
        """([name, mime, bytes]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([new Uint8Array(bytes)], name, { type: mime }));
            return dt;
        }""",
        [name, mime, list(data)],
    )
    target.dispatch_event("dragenter", {"dataTransfer": transfer})
    target.dispatch_event("dragover", {"dataTransfer": transfer})
    target.dispatch_event("drop", {"dataTransfer": transfer})


def test_product_photo_dropped_in_the_library_shows_in_the_gallery(
    stack: StackInfo, page: Any
) -> None:
    from playwright.sync_api import expect

    ws = create_workspace(stack)
    sign_in(page, ws)

    # 1. The library on the brand page: tag the file, drop it, see it listed with its thumbnail.
    page.goto(f"/brands/{ws.brand_id}")
    expect(page.get_by_role("heading", name="Brand pictures")).to_be_visible()
    page.get_by_role("textbox", name="Tags for these files").fill("mug, coffee")
    photo = samples.encode(samples.product_photo("mug", colour=PRODUCT_COLOUR), "JPEG")
    with page.expect_response(
        lambda r: r.request.method == "POST" and f"/brands/{ws.brand_id}/assets" in r.url
    ) as uploaded:
        drop_zone = page.get_by_role("region", name="Drop pictures here")
        _drop_file(page, drop_zone, "mug.jpg", "image/jpeg", photo)
    assert uploaded.value.status == 201, uploaded.value.text()
    asset = uploaded.value.json()
    assert asset["kind"] == "product" and asset["tags"] == ["mug", "coffee"]
    expect(page.get_by_role("status").filter(has_text="1 of 1 files handled")).to_be_visible()
    expect(page.get_by_text("mug.jpg: done")).to_be_visible()
    card = page.get_by_test_id("brand-asset")
    expect(card).to_have_count(1)
    thumbnail = card.get_by_role("img")
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
    )

    # 2. An image set for the campaign, started on its Generate page; progress arrives live.
    page.goto(f"/campaigns/{ws.campaign_id}/generate")
    page.get_by_role("tab", name="Images").click()
    page.get_by_role("spinbutton", name="Variants").fill("2")
    page.get_by_role("checkbox", name="9:16").check()
    with page.expect_response(
        lambda r: r.request.method == "POST" and re.search(r"/campaigns/[^/]+/jobs$", r.url)
    ) as started:
        page.get_by_role("button", name="Start image set").click()
    assert started.value.status == 202, started.value.text()
    job_id = started.value.json()["id"]
    progress = page.get_by_test_id("job-progress")
    expect(progress.get_by_test_id("job-status")).to_have_text("succeeded", timeout=240_000)

    # 3. The gallery, reached from the picture's card: the job's creatives, made from the photo.
    page.goto(f"/brands/{ws.brand_id}")
    details: dict[str, dict[str, Any]] = {}

    def on_response(response: Any) -> None:
        if re.search(r"/v1/creatives/[^/?]+$", response.url) and response.ok:
            body = response.json()
            details[body["id"]] = body

    page.on("response", on_response)
    page.get_by_role("link", name="Creatives made from it").click()
    expect(page).to_have_url(re.compile(rf"/gallery\?brand_asset_id={asset['id']}"))
    cards = page.get_by_test_id("creative-card")
    expect(cards).to_have_count(4)  # 2 variants x 2 ratios, nothing else made from it
    images = page.locator("[data-testid=creative-card] img")
    expect(images).to_have_count(4)
    for i in range(4):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle()
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "brand-assets-gallery.png"), full_page=True)
    page.remove_listener("response", on_response)

    ours = [d for d in details.values() if d.get("job_id") == job_id]
    assert len(ours) == 4, json.dumps(list(details), indent=1)
    for creative in ours:
        assert creative["content"]["brand_asset_ids"][0] == asset["id"], creative["content"]
        (rendered,) = creative["assets"]
        # The picture the browser shows, fetched from its URL, and the object in Storage.
        shown = page.request.get(rendered["url"])
        assert shown.ok, rendered["url"]
        assert _share_of_colour(shown.body(), PRODUCT_COLOUR) > 0.02, rendered
        stored = blob_store().get(rendered["storage_path"])
        assert _share_of_colour(stored, PRODUCT_COLOUR) > 0.02, rendered["storage_path"]
