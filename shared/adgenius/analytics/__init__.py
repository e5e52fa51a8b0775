"""Performance analytics: metric facts, rollups and experiments."""
