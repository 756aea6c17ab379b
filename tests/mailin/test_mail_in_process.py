"""The installed `kizuki mail-in` and `kizuki smtpd`, in their own processes, as an MTA runs
them: a message piped to standard input, and a message relayed over SMTP on loopback.

They run against their own fresh SQLite file, whatever database the rest of the suite uses,
and need no test database. Replies go to the console mail backend (KIZUKI_EMAIL_URL unset),
so they show in the output; nothing leaves the machine."""

import os
import signal
import smtplib
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.mailin.support import japanese_message, message
from tests.notify.support import free_port

KIZUKI = Path(sys.executable).parent / "kizuki"


def test_mail_in_and_smtpd_file_reports_in_their_own_processes(tmp_path: Path) -> None:
    database = tmp_path / "k.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("KIZUKI_")},
        "KIZUKI_DATABASE_URL": f"sqlite:///{database}",
        "KIZUKI_LANGUAGE": "en",
        "KIZUKI_MAIL_ALLOWED_DOMAINS": "partner.example.test, @other.example.test",
        "PYTHONUNBUFFERED": "1",
    }

    def kizuki(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [str(KIZUKI), *argv],
            env=env,
            cwd=tmp_path,
            input=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )

    assert kizuki("migrate", "--no-input").returncode == 0
    created = kizuki("user", "create", "taro", "--role", "viewer", "--email", "taro@example.test")
    assert created.returncode == 0, created.stderr

    filed = kizuki("mail-in", stdin=japanese_message())
    assert filed.returncode == 0, filed.stderr
    output = filed.stdout.decode()
    assert "Filed INC-1 from taro@example.test. Replied to the sender." in output
    assert "Your report is INC-1." in output  # the console mail
    assert "Nobody is on call for this report, so nobody has been paged." in output

    again = kizuki("mail-in", stdin=japanese_message())
    assert again.returncode == 0, again.stderr
    assert "Already filed as INC-1" in again.stdout.decode()

    refused = kizuki("mail-in", stdin=message("eve@elsewhere.example"))
    # Refused, and told so by mail: exit 0, so the MTA does not bounce it a second time.
    assert refused.returncode == 0, refused.stderr
    assert "Not filed, mail from eve@elsewhere.example refused" in refused.stdout.decode()

    port = free_port()
    listener = subprocess.Popen(
        [str(KIZUKI), "smtpd", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert listener.stdout is not None
        started = listener.stdout.readline().decode()  # printed once it listens
        assert started == f"Kizuki takes reports by SMTP on 127.0.0.1:{port}. Ctrl-C stops it.\n"
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.ehlo("mta.example.test")
            client.mail("ken@partner.example.test")
            client.rcpt("incident@kizuki.example.test")
            answer = client.data(message("ken@partner.example.test", "Login page is blank"))
        assert answer == (250, b"2.0.0 Filed as INC-2")
    finally:
        listener.send_signal(signal.SIGTERM)
        _out, errors = listener.communicate(timeout=30)
    assert listener.returncode == 0, errors

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT i.number, i.title, u.username FROM incidents_incident i"
            " LEFT JOIN accounts_user u ON u.id = i.reporter_id ORDER BY i.number"
        ).fetchall()
        mails = db.execute("SELECT message_id FROM mailin_mailreport ORDER BY id").fetchall()
    assert rows == [(1, "決済が失敗しています", "taro"), (2, "Login page is blank", None)]
    assert mails == [("<jis-1@mail.example.test>",), ("<report-1@mail.example.test>",)]
