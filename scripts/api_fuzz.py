"""Fuzz the running API against its own OpenAPI document; fail on any 5xx or undocumented status.

Starts a real server (gunicorn, as `kizuki serve` runs it) on 127.0.0.1 and a port the OS
picks, over a fresh SQLite database in a temporary directory with the demo data loaded, and
runs schemathesis with the demo admin's API token so authenticated operations are exercised.
The run is bounded (examples per operation and a time budget) so it fits in `make test`.

Usage: python scripts/api_fuzz.py [--max-examples N] [--max-time SECONDS] [extra args...]
Extra arguments go to `schemathesis run` (e.g. --include-path-regex incidents).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+)")
# Path parameters are drawn from the demo data most of the time so the fuzzer reaches the
# code behind them (not only 404s); the rest of the time they are generated freely.
CONFIG = """
[checks]
enabled = false
not_a_server_error.enabled = true
status_code_conformance.enabled = true
response_schema_conformance.enabled = true

[dictionaries.refs]
values = ["INC-1", "INC-2", "INC-3", "2", "INC-99999"]
[dictionaries.users]
values = ["admin", "sato", "tanaka", "emma", "suzuki"]
[dictionaries.ids]
values = [1, 2, 3]
[dictionaries.tokens]
values = ["{token}"]
[dictionaries.kinds]
values = ["alertmanager", "webhook", "heartbeat"]
[dictionaries.levels]
values = [1, 3, 5]

[parameters]
"path.ref" = {{ dictionary = "refs", probability = 0.7 }}
"path.username" = {{ dictionary = "users", probability = 0.7 }}
"path.token" = {{ dictionary = "tokens", probability = 0.7 }}
"path.kind" = {{ dictionary = "kinds", probability = 0.7 }}
"path.level" = {{ dictionary = "levels", probability = 0.5 }}
{ids}

# /health answers 503 by design while no worker runs, and none runs here: a worker would
# deliver pages and stakeholder updates to whatever addresses the fuzzer registered.
[[operations]]
include-path = "/api/v1/health"
checks.not_a_server_error.enabled = false
"""
ID_PARAMETERS = (
    "group_id", "service_id", "policy_id", "schedule_id", "entry_id", "rule_id",
    "override_id", "subscription_id",
)  # fmt: skip


def kizuki(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI
        [str(BIN / "kizuki"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def start_server(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """gunicorn on a port the OS chooses; the port is read back from its log."""
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own server
            [
                *(sys.executable, "-m", "gunicorn", "kizuki.config.wsgi"),
                *("--bind", "127.0.0.1:0", "--workers", "2", "--threads", "4"),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = LISTENING.search(log.read_bytes())
        if found:
            port = int(found.group(1))
            wait_until_healthy(port, deadline)
            return server, port
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    sys.exit(f"the server did not start:\n{log.read_text(errors='replace')}")


def wait_until_healthy(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # answering at all is enough: 503 only means no worker runs beside it
        except OSError:  # not listening yet, or still starting its workers
            time.sleep(0.1)
    sys.exit("the server never answered /api/v1/health")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", default="15")
    parser.add_argument("--max-time", default="120", help="schemathesis time budget (seconds)")
    options, extra = parser.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="kizuki-fuzz-") as tmp:
        env = {
            **os.environ,
            "KIZUKI_DATABASE_URL": f"sqlite:///{tmp}/kizuki.sqlite3",
            "KIZUKI_DEBUG": "false",
            "KIZUKI_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "kizuki.config.settings",
        }
        kizuki(env, "migrate", "--no-input", "-v0")
        loaded = kizuki(env, "demo", "load")
        ingest_token = loaded.split("/integrations/")[1].split("/")[0]
        token = kizuki(env, "token", "create", "admin", "--name", "fuzz").strip()
        config = Path(tmp) / "schemathesis.toml"
        ids = "\n".join(
            f'"path.{name}" = {{ dictionary = "ids", probability = 0.7 }}' for name in ID_PARAMETERS
        )
        config.write_text(CONFIG.format(token=ingest_token, ids=ids))
        server, port = start_server(env, Path(tmp) / "server.log")
        try:
            command = [
                str(BIN / "schemathesis"),
                *("--config-file", str(config)),
                "run",
                f"http://127.0.0.1:{port}/api/v1/openapi.json",
                *("--header", f"Authorization: Bearer {token}"),
                *("--phases", "examples,coverage,fuzzing"),
                *("--max-examples", options.max_examples),
                *("--max-time", options.max_time),
                # One worker: hypothesis parses lambdas with `ast`, which is not thread-safe
                # on Python 3.11 (a SystemError mid-run with two).
                *("--workers", "1"),
                *("--generation-with-security-parameters", "false"),
                *("--suppress-health-check", "all"),
                *("--request-timeout", "30"),
                "--no-color",
                *extra,
            ]
            code = subprocess.call(command, env=env)  # noqa: S603 - the fuzzer from our venv
        finally:
            server.terminate()
            server.wait(timeout=30)
        if code:
            log = (Path(tmp) / "server.log").read_text(errors="replace")
            errors = [line for line in log.splitlines() if "Error" in line or "Traceback" in line]
            print("\n".join(errors[-40:]), file=sys.stderr)  # noqa: T201 - a CLI report
        return code


if __name__ == "__main__":
    sys.exit(main())
