"""``make demo`` serves on ``PORT``: links on slips (QR codes) and in messages must point there."""

import socket
import subprocess
from pathlib import Path

SERVE = Path(__file__).resolve().parents[4] / "scripts" / "serve.sh"


def _serve(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(SERVE), *args],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_site_url_follows_the_port_make_demo_serves_on():
    assert _serve("--site-url", PORT="8931").stdout == "http://127.0.0.1:8931\n"
    assert _serve("--site-url").stdout == "http://127.0.0.1:8000\n"


def test_the_site_url_follows_the_host_it_listens_on():
    assert _serve("--site-url", PORT="8931", HOST="10.1.2.3").stdout == "http://10.1.2.3:8931\n"
    # Every address: the links use the loopback one, which always reaches it from this machine.
    assert _serve("--site-url", HOST="0.0.0.0").stdout == "http://127.0.0.1:8000\n"  # noqa: S104
    assert _serve("--site-url", HOST="::1", PORT="9").stdout == "http://[::1]:9\n"


def test_an_operator_set_site_url_wins():
    out = _serve("--site-url", PORT="8931", SITE_URL="https://dichvucong.cantho.gov.vn")
    assert out.stdout == "https://dichvucong.cantho.gov.vn\n"


def test_make_demo_passes_the_site_url_to_the_seed_and_checks_the_port_first():
    makefile = (SERVE.parents[1] / "Makefile").read_text()
    recipe = makefile[makefile.index("\ndemo: install") + 1 :].split("\n\n")[0]
    lines = [line.strip() for line in recipe.splitlines()[1:]]
    assert lines[0] == "PORT=$(PORT) scripts/serve.sh --check-port"
    assert any("serve.sh --site-url" in line and "manage.py seed_demo" in line for line in lines), (
        recipe
    )


def test_a_port_in_use_is_refused_in_both_languages_before_anything_starts():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        out = _serve("--check-port", PORT=port)
        assert out.returncode == 1
        assert f"Cổng {port} đang được dùng" in out.stderr
        assert f"Port {port} is already in use" in out.stderr
        assert f"PORT={int(port) + 1} make demo" in out.stderr
        # The full start refuses too, before the worker or the scheduler is started.
        out = _serve(PORT=port, RESTART_DELAY="30")
        assert out.returncode == 1 and "Port" in out.stderr and "running on" not in out.stdout
    assert _serve("--check-port", PORT=port).returncode == 0


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
