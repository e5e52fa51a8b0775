"""Google Cloud clients behind small interfaces, so tests and the local engine can swap them."""
