"""Model layer: one interface per capability (text, image, video, embedding)."""
