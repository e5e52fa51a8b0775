"""Media toolkit: the local image/video engine, brand overlay, reframing and output validation.

Modules: `ratios` (sizes, safe zones), `image_renderer` (local image engine + `LocalImageModel`),
`compositor` (brand overlay on any picture), `reframe` (other ratios, thumbnails), `video`
(local video engine, clip stitching, `LocalVideoModel`), `validate` (checks of every output).
"""
