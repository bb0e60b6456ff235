"""``make demo`` serves on ``PORT``: links on slips (QR codes) and in messages must point there."""

import subprocess
from pathlib import Path

SERVE = Path(__file__).resolve().parents[4] / "scripts" / "serve.sh"


def test_the_site_url_follows_the_port_make_demo_serves_on():
    script = 'eval "$(grep -E \'^(PORT=|export SITE_URL=)\' "$1")"; printf %s "$SITE_URL"'
    out = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", script, "bash", str(SERVE)],
        env={"PORT": "8931", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "http://127.0.0.1:8931"


def test_an_operator_set_site_url_wins():
    script = 'eval "$(grep -E \'^(PORT=|export SITE_URL=)\' "$1")"; printf %s "$SITE_URL"'
    out = subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", script, "bash", str(SERVE)],
        env={"PORT": "8931", "SITE_URL": "https://dichvucong.cantho.gov.vn", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout == "https://dichvucong.cantho.gov.vn"


def test_the_worker_and_scheduler_are_started_again_when_they_stop(tmp_path):
    """A worker that stops anyway (a crash, kill -9) is started again by serve.sh."""
    runs = tmp_path / "runs"
    script = (
        'eval "$(sed -n \'/^supervise()/,/^}/p\' "$1")"; '
        f"supervise /bin/bash -c 'echo run >> {runs}; exit 3' & pid=$!; "
        "sleep 1; kill $pid"
    )
    subprocess.run(  # noqa: S603
        ["/bin/bash", "-c", script, "bash", str(SERVE)],
        env={"RESTART_DELAY": "0.2", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=20,
    )
    assert runs.read_text().count("run") >= 3
    assert "supervise .venv/bin/python manage.py run_worker" in SERVE.read_text()
    assert "supervise .venv/bin/python manage.py run_scheduler" in SERVE.read_text()
