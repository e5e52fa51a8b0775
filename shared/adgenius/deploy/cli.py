"""Deploy commands.

python -m adgenius.deploy manifest            # writes terraform/manifest.json
python -m adgenius.deploy bundle [--out DIR]  # one source zip per function (main.py + adgenius)
python -m adgenius.deploy lock [NAME ...]     # the hash-pinned requirements lock of each bundle
python -m adgenius.deploy extras              # each function's declared against derived extras
python -m adgenius.deploy footprints          # each function's measured memory footprint
python -m adgenius.deploy tools               # provider schemas + checkov into .tools/
python -m adgenius.deploy check               # terraform fmt, provider schemas, checkov, secrets
python -m adgenius.deploy up --project P --env prod [--plan]   # what `nox -s deploy` runs
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from adgenius.deploy import bundles, checks, extras, footprints, locks, provider_schema
from adgenius.deploy.cloud import DeployError, DeployOptions, deploy
from adgenius.manifest import MANIFEST
from adgenius.settings import REPO_ROOT


def install_tools() -> None:
    """Idempotent: the two provider schemas (one `npm pack` each, cached) and checkov."""
    for name in provider_schema.PACKAGES:
        path = provider_schema.cache_file(name)
        if not path.exists():
            try:
                provider_schema.build(name, path)
            except provider_schema.SchemaUnavailable as exc:
                # The schema tests then skip and say why; nothing else depends on it.
                print(f"{name} provider schema skipped: {exc}")
                continue
        print(f"{name} provider schema: {path}")
    print(f"checkov: {checks.install_checkov()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("manifest")
    bundle = sub.add_parser("bundle")
    bundle.add_argument("--out", type=Path, default=REPO_ROOT / "build" / "functions")
    lock = sub.add_parser("lock", help="write each function's hash-pinned requirements lock")
    lock.add_argument("names", nargs="*", help="functions to lock (default: all)")
    sub.add_parser("extras", help="each function's declared against derived extras")
    prints = sub.add_parser("footprints", help="measure each function's memory footprint (RSS)")
    prints.add_argument("names", nargs="*", help="functions to measure (default: all)")
    sub.add_parser("tools")
    sub.add_parser("check")
    up = sub.add_parser("up", help="build, check, plan/apply, hosting, diagnostics")
    up.add_argument("--project", default=os.environ.get("GOOGLE_CLOUD_PROJECT"))
    up.add_argument("--env", choices=["dev", "prod"], default="dev")
    up.add_argument("--region", default="us-central1")
    up.add_argument("--plan", action="store_true", help="show what would change; apply nothing")
    up.add_argument("--qdrant-url", default=os.environ.get("QDRANT_URL"))
    up.add_argument("--state-bucket", default=None, help="default: <project>-tfstate")
    up.add_argument("--alert-email", default="")
    up.add_argument("--billing-account", default="")
    up.add_argument("--monthly-budget", type=float, default=0)
    up.add_argument("--skip-web", action="store_true")
    up.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "manifest":
        bundles.TERRAFORM_MANIFEST.write_text(bundles.render_manifest())
        print(f"wrote {bundles.TERRAFORM_MANIFEST}")
    elif args.command == "bundle":
        for path in bundles.bundle(args.out):
            print(path)
    elif args.command == "lock":
        for fn in MANIFEST.functions:
            if not args.names or fn.name in args.names:
                print(locks.write_lock(fn))
    elif args.command == "extras":
        extras.main()
    elif args.command == "footprints":
        footprints.main(args.names)
    elif args.command == "tools":
        install_tools()
    elif args.command == "check":
        report = checks.run_all()
        print(report)
        sys.exit(0 if report.ok else 1)
    else:
        opts = DeployOptions(
            project=args.project,
            env=args.env,
            region=args.region,
            plan_only=args.plan,
            qdrant_url=args.qdrant_url,
            state_bucket=args.state_bucket,
            skip_web=args.skip_web,
            skip_verify=args.skip_verify,
            alert_email=args.alert_email,
            billing_account=args.billing_account,
            monthly_budget=args.monthly_budget,
        )
        try:
            sys.exit(deploy(opts))
        except DeployError as exc:
            sys.exit(f"deploy stopped: {exc}")


if __name__ == "__main__":
    main()
