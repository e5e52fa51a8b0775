"""One deploy: `nox -s deploy -- --project P --env prod [--plan]`.

Offline first (it all runs here, without a cloud): render the manifest, build the function
bundles and the web app, check terraform (fmt, provider schemas, checkov, no plain-text secret).
Then what needs the cloud, each step saying exactly what it lacks when it cannot run: the state
bucket, `terraform init` (gcs backend, one prefix per environment), `plan`, and unless `--plan`:
`apply`, the web app's config from `terraform output`, the Hosting deploy (firebase-tools in
.tools; the Firestore rules and indexes are released by terraform itself), and a diagnostics run
through the deployed functions, printed hop by hop.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from adgenius.deploy import bundles, checks, verify
from adgenius.manifest import MANIFEST
from adgenius.settings import REPO_ROOT

BUILD_DIR = REPO_ROOT / "build"
WEB_DIR = REPO_ROOT / "web"
PLAN_FILE = BUILD_DIR / "terraform.tfplan"
ADC_FILE = Path.home() / ".config" / "gcloud" / "application_default_credentials.json"
OPERATOR_EMAIL = "deploy-diagnostics@adgenius.invalid"


@dataclass
class DeployOptions:
    project: str | None
    env: str
    region: str = "us-central1"
    plan_only: bool = False
    qdrant_url: str | None = None
    state_bucket: str | None = None
    skip_web: bool = False
    skip_verify: bool = False
    alert_email: str = ""
    billing_account: str = ""
    monthly_budget: float = 0

    @property
    def bucket(self) -> str:
        return self.state_bucket or f"{self.project}-tfstate"

    def tf_vars(self) -> list[str]:
        pairs = {
            "project": self.project,
            "env": self.env,
            "region": self.region,
            "qdrant_url": self.qdrant_url,
            "bundle_dir": str(BUILD_DIR / "functions"),
            "alert_email": self.alert_email,
            "billing_account": self.billing_account,
            "monthly_budget": self.monthly_budget,
        }
        return [f"-var={k}={v}" for k, v in pairs.items()]


class DeployError(RuntimeError):
    pass


Say = Callable[[str], None]


def step(say: Say, title: str) -> None:
    say(f"\n==> {title}")


def missing_requirements(opts: DeployOptions) -> list[str]:
    """What the cloud steps need that this machine does not have, each with how to get it."""
    needs = []
    if not opts.project:
        needs.append("a Google Cloud project: --project P (an empty project with billing enabled)")
    if not opts.qdrant_url:
        needs.append(
            "the Qdrant server: --qdrant-url https://... (or QDRANT_URL); on the first deploy "
            "also its key as the environment variable TF_VAR_qdrant_api_key"
        )
    creds = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if not (creds and Path(creds).exists()) and not ADC_FILE.exists():
        needs.append(
            "Google credentials of a deployer with the README's roles: "
            "`gcloud auth application-default login` (or GOOGLE_APPLICATION_CREDENTIALS)"
        )
    if not checks.terraform_bin():
        needs.append("terraform >= 1.11 on PATH")
    if not shutil.which("gcloud"):
        needs.append("gcloud (google-cloud-cli) on PATH: ID tokens for the private functions")
    return needs


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=3600
    )
    if done.returncode != 0:
        raise DeployError(
            f"{' '.join(cmd[:3])} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )
    return done.stdout


def _terraform(args: list[str], opts: DeployOptions, *, stream: bool = False) -> str:
    exe = checks.terraform_bin()
    assert exe
    env = checks.terraform_env()
    cmd = [exe, f"-chdir={checks.TERRAFORM_DIR}", *args]
    if stream:
        done = subprocess.run(cmd, env=env, check=False)
        if done.returncode != 0:
            raise DeployError(f"terraform {args[0]} failed (exit {done.returncode})")
        return ""
    return _run(cmd, env=env)


def build_offline(opts: DeployOptions, say: Say) -> None:
    step(say, "manifest -> terraform/manifest.json")
    bundles.TERRAFORM_MANIFEST.write_text(bundles.render_manifest())
    say(
        f"{len(MANIFEST.functions)} functions, {len(MANIFEST.topics)} topics, "
        f"{len(MANIFEST.queues)} queues, {len(MANIFEST.push_subscriptions)} push subscriptions, "
        f"{len(MANIFEST.schedules)} schedules, {len(MANIFEST.service_accounts)} service "
        f"accounts, {len(MANIFEST.secrets)} secrets"
    )
    step(say, "function bundles")
    zips = bundles.bundle(BUILD_DIR / "functions")
    say(f"{len(zips)} zips in {BUILD_DIR / 'functions'}")
    step(say, "web app")
    if opts.skip_web:
        say("skipped (--skip-web)")
    elif not (WEB_DIR / "node_modules").exists():
        say("skipped: web/node_modules is missing (`npm ci` in web/, as `nox -s tests` does)")
    else:
        _run(["npm", "run", "build"], cwd=WEB_DIR)
        say(f"built {WEB_DIR / 'dist'}")
    step(say, "terraform checks (offline)")
    report = checks.run_all()
    say(str(report))
    if not report.ok:
        raise DeployError("terraform checks failed; nothing was sent to the cloud")


def ensure_state_bucket(opts: DeployOptions, say: Say) -> None:
    from google.cloud import storage  # type: ignore[attr-defined]

    client = storage.Client(project=opts.project)
    bucket = client.lookup_bucket(opts.bucket)
    if bucket is None:
        bucket = client.bucket(opts.bucket)
        bucket.versioning_enabled = True  # every state ever written can be restored
        bucket.iam_configuration.uniform_bucket_level_access_enabled = True
        bucket.iam_configuration.public_access_prevention = "enforced"
        client.create_bucket(bucket, location=opts.region)
        say(f"created state bucket gs://{opts.bucket} (versioned)")
    else:
        say(f"state bucket gs://{opts.bucket}")


def secret_has_version(opts: DeployOptions, name: str) -> bool:
    done = subprocess.run(
        [
            "gcloud",
            "secrets",
            "versions",
            "list",
            name,
            f"--project={opts.project}",
            "--limit=1",
            "--format=value(name)",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and bool(done.stdout.strip())


def write_app_config(outputs: dict[str, Any], target: Path | None = None) -> Path:
    """The web app's /app-config.json, from `terraform output -json` (never hand-copied)."""
    config = outputs["web_app_config"]["value"]
    path = target or WEB_DIR / "dist" / "app-config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


def operator_headers(opts: DeployOptions, outputs: dict[str, Any]) -> dict[str, str]:
    """A Firebase ID token of a diagnostics operator (claim `operator`) for the function, and
    the deployer's Google ID token for Cloud Run IAM."""
    import firebase_admin
    from firebase_admin import auth

    app_name = f"adgenius-deploy-{opts.project}"
    try:
        app = firebase_admin.get_app(app_name)
    except ValueError:
        app = firebase_admin.initialize_app(options={"projectId": opts.project}, name=app_name)
    password = secrets.token_urlsafe(24)  # new each run: nobody keeps this user's password
    try:
        user = auth.get_user_by_email(OPERATOR_EMAIL, app=app)
        auth.update_user(user.uid, password=password, disabled=False, app=app)
    except auth.UserNotFoundError:
        user = auth.create_user(email=OPERATOR_EMAIL, password=password, app=app)
    auth.set_custom_user_claims(user.uid, {"operator": True}, app=app)
    api_key = outputs["web_app_config"]["value"]["apiKey"]
    r = httpx.post(
        "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
        params={"key": api_key},
        json={"email": OPERATOR_EMAIL, "password": password, "returnSecureToken": True},
        timeout=30,
    )
    r.raise_for_status()
    google_token = _run(["gcloud", "auth", "print-identity-token"]).strip()
    return {
        "Authorization": f"Bearer {r.json()['idToken']}",
        "X-Serverless-Authorization": f"Bearer {google_token}",
    }


def deploy(opts: DeployOptions, say: Say = print) -> int:
    build_offline(opts, say)

    step(say, "what the cloud steps need")
    needs = missing_requirements(opts)
    if needs:
        say("This machine cannot go further; it needs:")
        for need in needs:
            say(f"  - {need}")
        say(
            "  (then `terraform init` downloads hashicorp/google and google-beta ~> 6.50 from "
            "registry.terraform.io, or from a provider mirror set in TF_CLI_CONFIG_FILE)"
        )
        if opts.plan_only:
            say("Everything that runs offline passed; the plan itself needs the above.")
            return 0
        return 2
    say("project, Qdrant URL, credentials, terraform and gcloud: present")
    os.environ.setdefault("GOOGLE_CLOUD_QUOTA_PROJECT", opts.project or "")

    step(say, f"terraform init (gs://{opts.bucket}, prefix adgenius/{opts.env})")
    try:
        ensure_state_bucket(opts, say)
    except Exception as exc:  # credentials refused, API off, no network: say which, stop
        raise DeployError(
            f"cannot read or create the state bucket gs://{opts.bucket} in {opts.project}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    _terraform(
        [
            "init",
            "-input=false",
            "-reconfigure",
            f"-backend-config=bucket={opts.bucket}",
            f"-backend-config=prefix=adgenius/{opts.env}",
        ],
        opts,
    )

    missing_secrets = [
        s.name
        for s in MANIFEST.secrets
        if s.required
        and not secret_has_version(opts, s.name)
        and not os.environ.get(f"TF_VAR_{s.name.lower()}")
    ]

    step(say, "terraform plan")
    _terraform(["plan", "-input=false", f"-out={PLAN_FILE}", *opts.tf_vars()], opts, stream=True)
    if opts.plan_only:
        if missing_secrets:
            say(f"note: apply will need TF_VAR_{missing_secrets[0].lower()} (no version yet)")
        return 0
    if missing_secrets:
        raise DeployError(
            f"secret {missing_secrets[0]} has no version: set TF_VAR_{missing_secrets[0].lower()}"
            " for this deploy (it is written write-only, never stored in state)"
        )

    step(say, "terraform apply")
    _terraform(["apply", "-input=false", str(PLAN_FILE)], opts, stream=True)
    outputs = json.loads(_terraform(["output", "-json"], opts))

    step(say, "web app config and Hosting")
    say(f"wrote {write_app_config(outputs)}")
    if (WEB_DIR / "dist" / "index.html").exists():
        from adgenius.localstack.tools import firebase_cli

        _run(
            [
                str(firebase_cli()),
                "deploy",
                "--only",
                "hosting",
                "--project",
                str(opts.project),
                "--non-interactive",
            ],
            cwd=REPO_ROOT,
        )
        say(f"hosting: {outputs['hosting_url']['value']}")
    else:
        say("hosting skipped: web/dist was not built")

    if opts.skip_verify:
        return 0
    step(say, "diagnostics through the deployed functions")
    url = outputs["function_urls"]["value"]["diagnostics"]
    report = verify.run_diagnostics(
        url,
        operator_headers(opts, outputs),
        on_progress=lambda r: say(f"  ... {r.hops[-1].hop}"),
    )
    say(verify.format_report(report))
    return 0 if report.ok else 1
