"""The installed `kizuki` executable, end to end, in its own processes.

It runs against its own fresh SQLite file, whatever database the rest of the suite uses,
and needs no test database: it only starts processes and reads that file afterwards."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

KIZUKI = Path(sys.executable).parent / "kizuki"


def test_the_kizuki_command_from_migrate_to_worker(tmp_path: Path) -> None:
    database = tmp_path / "k.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KIZUKI_")},
        "KIZUKI_DATABASE_URL": f"sqlite:///{database}",
        "KIZUKI_LANGUAGE": "en",
    }

    def kizuki(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KIZUKI), *argv],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    migrated = kizuki("migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr

    reported = kizuki("incident", "report", "決済が失敗する", "--severity", "2", "--json")
    assert reported.returncode == 0, reported.stderr
    incident = json.loads(reported.stdout)
    assert (incident["number"], incident["status"]) == ("INC-1", "declared")
    assert incident["severity"] == 2
    assert incident["title"] == "決済が失敗する"

    refused = kizuki("incident", "transition", "INC-1", "closed")
    assert refused.returncode != 0
    assert refused.stdout == ""
    assert "CommandError: INC-1 is Declared and cannot move to closed" in refused.stderr

    worked = kizuki("worker", "--batch")
    assert worked.returncode == 0, worked.stderr

    with sqlite3.connect(database) as db:
        status = db.execute("SELECT status FROM incidents_incident WHERE number = 1").fetchone()
        jobs = db.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchall()
    assert status == ("declared",)
    # The report and the declaration each queued their events' deliveries (one per
    # subscriber: chat, the search index); the worker ran them all.
    assert len(jobs) >= 2
    assert {job for (job,) in jobs} == {"SUCCESSFUL"}
