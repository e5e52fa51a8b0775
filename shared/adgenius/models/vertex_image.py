"""Imagen on Vertex AI: generation (`generate_images`) and product recontext (`recontext_image`),
both `:predict` calls.

Why recontext for the brand's own photos: of what google-genai 3.x offers on Vertex,
`recontext_image` (Imagen product recontext) is the call made for "this product, in a new
scene": it takes up to three photos of one product and keeps the product's look, where
`edit_image` with reference images restyles or inpaints a base image, and Gemini's image model
with input images gives no seed and no per-image safety reasons. The output is square; callers
place it with the subject-keeping layouts (media.asset_layouts), never a blind crop.
"""

from __future__ import annotations

import time
import warnings

from google import genai
from google.genai import types

from adgenius.models.base import ImageResult, Outcome, Usage
from adgenius.models.vertex_client import VertexConfig, VertexModel, translate_errors

# google-genai 3.x flags generate_images as deprecated (Imagen is slated to move behind
# generate_content); it still is the Imagen API on Vertex, so keep logs free of the notice.
warnings.filterwarnings("ignore", message="The generate_images method is deprecated")


class VertexImageModel(VertexModel):
    """`ImageModel` backed by Imagen.

    Filtered images come back as `raiFilteredReason` entries (we always ask for reasons). If every
    image was filtered the result is `Outcome.SAFETY_BLOCKED`; if only some were, the survivors are
    returned with `block_reason` naming what was dropped.
    """

    def __init__(
        self,
        config: VertexConfig,
        model: str = "imagen-4.0-generate-001",
        *,
        client: genai.Client | None = None,
        person_generation: str | None = None,
        recontext_model: str = "imagen-product-recontext-preview-06-30",
    ) -> None:
        super().__init__(config, model, client)
        self._person_generation = person_generation
        self._recontext_model = recontext_model

    def generate(
        self,
        prompt: str,
        *,
        aspect_ratio: str = "1:1",
        count: int = 1,
        seed: int | None = None,
    ) -> ImageResult:
        config = types.GenerateImagesConfig(
            number_of_images=count,
            aspect_ratio=aspect_ratio,
            seed=seed,
            # Vertex rejects a seed while the invisible watermark is on.
            add_watermark=False if seed is not None else None,
            include_rai_reason=True,
            output_mime_type="image/png",
            person_generation=self._person_generation,
        )
        started = time.perf_counter()
        with translate_errors(self._model):
            response = self._client.models.generate_images(
                model=self._model, prompt=prompt, config=config
            )
        return self._result(response.generated_images, (time.perf_counter() - started) * 1000)

    def recontext(
        self,
        prompt: str,
        product_images: list[bytes],
        *,
        model: str | None = None,
        count: int = 1,
        seed: int | None = None,
    ) -> ImageResult:
        """The brand's product (1-3 photos of it) placed in the scene `prompt` describes."""
        model = model or self._recontext_model
        if not 1 <= len(product_images) <= 3:
            raise ValueError("recontext takes one to three photos of one product")
        source = types.RecontextImageSource(
            prompt=prompt,
            product_images=[
                types.ProductImage(product_image=types.Image(image_bytes=data))
                for data in product_images
            ],
        )
        config = types.RecontextImageConfig(
            number_of_images=count,
            seed=seed,
            add_watermark=False if seed is not None else None,
            output_mime_type="image/png",
            person_generation=self._person_generation,
        )
        started = time.perf_counter()
        with translate_errors(model):
            response = self._client.models.recontext_image(
                model=model, source=source, config=config
            )
        return self._result(
            response.generated_images, (time.perf_counter() - started) * 1000, model=model
        )

    def _result(
        self,
        generated_images: list[types.GeneratedImage] | None,
        latency_ms: float,
        model: str | None = None,
    ) -> ImageResult:
        images: list[bytes] = []
        mime_type = "image/png"
        reasons: list[str] = []
        for generated in generated_images or []:
            if generated.image is not None and generated.image.image_bytes:
                images.append(generated.image.image_bytes)
                mime_type = generated.image.mime_type or mime_type
            elif generated.rai_filtered_reason:
                reasons.append(generated.rai_filtered_reason)
        usage = Usage(
            model=model or self._model, engine="vertex", latency_ms=latency_ms, images=len(images)
        )
        if not images:
            # No images and no reason happens when the service filters silently.
            reason = "; ".join(reasons) or "all images filtered (no reason given)"
            return ImageResult(outcome=Outcome.SAFETY_BLOCKED, block_reason=reason, usage=usage)
        return ImageResult(
            images=images,
            mime_type=mime_type,
            block_reason="; ".join(reasons) or None,
            usage=usage,
        )
