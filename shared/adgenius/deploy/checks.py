"""Offline checks of terraform/, run by the tests and by every deploy before it touches a cloud.

- `terraform fmt -check` (the terraform binary);
- the providers' schemas (hcl_check: unknown types, arguments, blocks; missing required ones);
- checkov, whose findings are fixed or waived inline one by one
  (`#checkov:skip=CKV_...:reason`), from its own virtualenv in .tools (its pins clash with the
  test tools');
- no secret in plain text: no literal value for a secret-like argument, no secret in the
  functions' plain environment, and the manifest's secrets only reach functions through Secret
  Manager.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from adgenius.localstack.tools import TOOLS_DIR
from adgenius.manifest import MANIFEST
from adgenius.settings import REPO_ROOT

TERRAFORM_DIR = REPO_ROOT / "terraform"
CHECKOV_VENV = TOOLS_DIR / "checkov-venv"
CHECKOV_REQUIREMENT = "checkov==3.3.30"

# A literal (not `${...}`) assigned to an argument whose name says it holds a secret.
_SECRET_ARG = re.compile(
    r"^\s*(\w*(password|secret_data|api_key|apikey|private_key|token|client_secret)\w*)\s*=\s*"
    r"\"(?!\$\{)([^\"]+)\"",
    re.I | re.M,
)
# Things that look like credentials wherever they appear.
_CREDENTIAL = re.compile(
    r"(AIza[0-9A-Za-z_\-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\"private_key_id\"\s*:|"
    r"ya29\.[0-9A-Za-z_\-]{20,})"
)


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str = ""
    skipped: str = ""  # why it could not run here (a missing tool), never silently


@dataclass
class Report:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def __str__(self) -> str:
        lines = []
        for r in self.results:
            state = "skip" if r.skipped else ("ok" if r.ok else "FAIL")
            lines.append(f"[{state:>4}] {r.name}" + (f": {r.skipped}" if r.skipped else ""))
            if r.detail and not r.ok:
                lines.extend("       " + line for line in r.detail.splitlines())
        return "\n".join(lines)


def terraform_bin() -> str | None:
    return shutil.which("terraform")


def terraform_env() -> dict[str, str]:
    """The terraform CLI without a user's CLI config (which may point at a missing file)."""
    env = dict(os.environ)
    config = env.get("TF_CLI_CONFIG_FILE")
    if config and not Path(config).exists():
        env.pop("TF_CLI_CONFIG_FILE")
    env.setdefault("CHECKPOINT_DISABLE", "1")
    return env


def fmt(directory: Path = TERRAFORM_DIR) -> CheckResult:
    exe = terraform_bin()
    if not exe:
        return CheckResult("terraform fmt", True, skipped="terraform is not on PATH")
    done = subprocess.run(
        [exe, "fmt", "-check", "-diff", "-no-color", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        env=terraform_env(),
        check=False,
    )
    return CheckResult("terraform fmt", done.returncode == 0, done.stdout + done.stderr)


def schema(directory: Path = TERRAFORM_DIR, *, fetch: bool = False) -> CheckResult:
    from adgenius.deploy import hcl_check, provider_schema

    try:
        checker = hcl_check.check(directory, fetch=fetch)
    except provider_schema.SchemaUnavailable as exc:
        return CheckResult("provider schema", True, skipped=str(exc))
    problems = "\n".join(str(p) for p in checker.problems)
    name = f"provider schema ({len(checker.types_seen)} resource and data types)"
    return CheckResult(name, not checker.problems, problems)


def checkov_bin() -> Path:
    return CHECKOV_VENV / "bin" / "checkov"


def install_checkov() -> Path:
    exe = checkov_bin()
    if not exe.exists():
        print(f"installing {CHECKOV_REQUIREMENT} into {CHECKOV_VENV} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
        subprocess.run(
            [str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", CHECKOV_REQUIREMENT], check=True
        )
    return exe


def checkov(directory: Path = TERRAFORM_DIR) -> CheckResult:
    exe = checkov_bin()
    if not exe.exists():
        return CheckResult(
            "checkov", True, skipped="not installed: run `python -m adgenius.deploy tools`"
        )
    done = subprocess.run(
        [
            str(exe),
            "--directory",
            str(directory),
            "--framework",
            "terraform",
            "--output",
            "json",
            "--compact",
            "--quiet",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"},
        check=False,
    )
    try:
        data = json.loads(done.stdout or "{}")
    except json.JSONDecodeError:
        return CheckResult("checkov", False, f"unreadable output:\n{done.stdout}{done.stderr}")
    runs = data if isinstance(data, list) else [data]
    failed = [f for run in runs for f in run.get("results", {}).get("failed_checks", [])]
    summary = [run.get("summary", {}) for run in runs]
    passed = sum(s.get("passed", 0) for s in summary)
    skipped = sum(s.get("skipped", 0) for s in summary)
    detail = "\n".join(
        f"{f['check_id']} {f['resource']} ({f['file_path']}:{f['file_line_range'][0]}): "
        f"{f['check_name']}"
        for f in failed
    )
    return CheckResult(
        f"checkov ({passed} passed, {skipped} waived with a reason)", not failed, detail
    )


def plaintext_secrets(directory: Path = TERRAFORM_DIR) -> CheckResult:
    problems: list[str] = []
    for path in [*sorted(directory.glob("*.tf")), directory / "manifest.json"]:
        text = path.read_text()
        for m in _SECRET_ARG.finditer(text):
            problems.append(f"{path.name}: {m.group(1)} has a literal value")
        for m in _CREDENTIAL.finditer(text):
            problems.append(f"{path.name}: credential-like text {m.group(0)[:12]}...")
    main = (directory / "main.tf").read_text()
    env_block = main[main.index("common_env = {") :]
    env_block = env_block[: env_block.index("}")]
    for secret in MANIFEST.secrets:
        if secret.name in env_block:
            problems.append(f"main.tf: {secret.name} is in the functions' plain environment")
    variables = (directory / "variables.tf").read_text()
    for m in re.finditer(r'variable "(\w+)" \{(.*?)\n\}', variables, re.S):
        if re.search(r"(key|secret|password|token)$", m.group(1)) and not re.search(
            r"sensitive\s*=\s*true", m.group(2)
        ):
            problems.append(f"variables.tf: variable {m.group(1)} is not sensitive")
    return CheckResult("no secret in plain text", not problems, "\n".join(problems))


def run_all(directory: Path = TERRAFORM_DIR, *, fetch: bool = False) -> Report:
    return Report(
        [
            fmt(directory),
            schema(directory, fetch=fetch),
            checkov(directory),
            plaintext_secrets(directory),
        ]
    )
