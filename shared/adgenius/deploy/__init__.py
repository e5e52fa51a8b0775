"""Deployment: manifest and bundles, the provider schema check, plan/apply and verify."""

from adgenius.deploy.bundles import (
    PACKAGE_DIR,
    SKIP_PARTS,
    TERRAFORM_MANIFEST,
    bundle,
    render_manifest,
)

__all__ = [
    "PACKAGE_DIR",
    "SKIP_PARTS",
    "TERRAFORM_MANIFEST",
    "bundle",
    "render_manifest",
]
