"""Video assembly: the finished scenes become one video per requested ratio.

Local scenes are stills that the local engine animates (pan/zoom, captions, crossfades, end card);
Veo scenes are clips that are stitched with the same captions and end card. Both land as one video
creative with one asset per ratio, at the asked duration.
"""

from __future__ import annotations

from adgenius.cloud.storage import blob_store, tenant_path
from adgenius.media.errors import MediaError
from adgenius.media.video import (
    EndCard,
    Scene,
    VideoSpec,
    poster_frame,
    render_video,
    stitch_clips,
)
from adgenius.pipeline import creatives_out, store
from adgenius.pipeline.context import JobContext
from adgenius.pipeline.model import ItemStatus, Job, JobRequest
from adgenius.pipeline.planning import CTA_BY_OBJECTIVE, stable_seed

END_CARD_S = 2.0


class AssemblyError(Exception):
    pass


def assemble(job: Job, ctx: JobContext) -> str:
    request = JobRequest(**job.request)
    scenes = [
        i
        for i in store.list_items(job.tenant_id, job.id)
        if i.status is ItemStatus.SUCCEEDED and i.output_path
    ]
    if not scenes:
        raise AssemblyError("no scene succeeded")
    scenes.sort(key=lambda i: i.index)
    blobs = blob_store()
    media = [blobs.get(i.output_path) for i in scenes if i.output_path]
    captions = [str(i.spec.get("caption", "")) for i in scenes]
    end_card = EndCard(
        headline=ctx.brand.name,
        cta=CTA_BY_OBJECTIVE.get(ctx.campaign.objective.value, "Learn more"),
        logo=ctx.logo(),
        duration_s=END_CARD_S,
    )
    cid = f"{job.id}-video"
    renders = []
    posters: dict[str, str] = {}
    seed = stable_seed(job.id, "video")
    for ratio in request.video_ratios():
        try:
            if scenes[0].output_path and scenes[0].output_path.endswith(".png"):
                video = render_video(
                    VideoSpec(
                        scenes=[
                            Scene(image=m, caption=c, weight=float(i.spec.get("duration_s", 5)))
                            for m, c, i in zip(media, captions, scenes, strict=True)
                        ],
                        end_card=end_card,
                        ratio=ratio,
                        duration_s=float(request.duration_s),
                        palette=ctx.palette,
                        seed=seed,
                    )
                )
                engine = {"engine": "local", "model": "adgenius-pillow-ffmpeg-v1"}
            else:
                video = stitch_clips(
                    media, captions, end_card, ratio, palette=ctx.palette, seed=seed
                )
                engine = {"engine": "vertex", "model": "veo"}
        except MediaError as exc:
            raise AssemblyError(str(exc)) from exc
        slug = ratio.replace(":", "x").replace(".", "_")
        path = tenant_path(job.tenant_id, "creatives", cid, f"video-{slug}.mp4")
        blobs.put(path, video.data, "video/mp4")
        # A poster for every video (gallery thumbnails, the players' first paint).
        poster = poster_frame(video.data, at_s=min(0.5, video.duration_s / 2), max_width=None)
        posters[ratio] = tenant_path(job.tenant_id, "creatives", cid, f"video-{slug}-poster.jpg")
        blobs.put(posters[ratio], poster, "image/jpeg")
        renders.append((ratio, path, video.width, video.height, video.duration_s, len(video.data)))
    content = {
        "script": [
            {"caption": c, "visual": i.spec.get("visual")}
            for c, i in zip(captions, scenes, strict=True)
        ],
        "duration_s": request.duration_s,
        "scenes": len(scenes),
        "scenes_planned": len(store.list_items(job.tenant_id, job.id)),
        "posters": posters,
        # The brand's own photos the scenes show (the gallery filters on it).
        "brand_asset_ids": list(dict.fromkeys(a for i in scenes for a in i.brand_asset_ids)),
    }
    engine["prompt_version"] = str(scenes[0].spec.get("prompt_version", ""))
    creatives_out.write_video_creative(job, ctx, cid, renders, content, engine)
    store.update_job(job.tenant_id, job.id, {"creative_ids": [cid]})
    return cid
