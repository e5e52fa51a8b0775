"""Exports for the ad platforms: pure sheet writers per format (`google_editor`, `meta_bulk`,
shared cell/encoding rules in `sheets`) and the service that gathers a campaign's creatives,
validates them, streams small exports and runs big ones as a job (`service`)."""
