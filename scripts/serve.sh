#!/usr/bin/env bash
# Start the production WSGI server (granian), the task worker and the scheduler; stop them all
# on Ctrl-C. With --web-only, granian alone (systemd runs the worker and the scheduler as units
# of their own: deploy/systemd, docs/deploy.md).
#
# Before anything starts it refuses a port something already listens on (exit 1, in Vietnamese
# and English), instead of starting a second worker and scheduler beside the running site.
#   scripts/serve.sh --check-port   only that check (make demo runs it before seeding)
#   scripts/serve.sh --site-url     print the SITE_URL this server would use, and exit
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}
# Links printed on slips (QR codes) and sent in messages point to this server's own host and
# port, unless the operator names the public address (SITE_URL).
site_host() {
  case "$HOST" in
    0.0.0.0 | :: | "[::]") printf 127.0.0.1 ;;
    \[*) printf %s "$HOST" ;;
    *:*) printf '[%s]' "$HOST" ;;
    *) printf %s "$HOST" ;;
  esac
}
export SITE_URL=${SITE_URL:-http://$(site_host):${PORT}}
export STATIC_MANIFEST=${STATIC_MANIFEST:-0}
port_check() {
  # Taken when something answers on it, or when it cannot be bound without SO_REUSEPORT.
  if ! python3 - "$HOST" "$PORT" <<'PY'
import socket, sys
host, port = sys.argv[1].strip("[]"), int(sys.argv[2])
probe = "127.0.0.1" if host in ("0.0.0.0", "") else ("::1" if host == "::" else host)
try:
    socket.create_connection((probe, port), timeout=1).close()
    sys.exit(1)
except OSError:
    pass
family = socket.AF_INET6 if ":" in host else socket.AF_INET
with socket.socket(family) as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sys.exit(1)
PY
  then
    cat >&2 <<MSG

  Cổng ${PORT} đang được dùng (có thể một máy chủ Tỉnh Số khác đang chạy). Hãy dừng nó,
  hoặc chọn cổng khác, ví dụ: PORT=$((PORT + 1)) make demo
  Port ${PORT} is already in use (perhaps another Tỉnh Số server is running). Stop it,
  or choose another port, for example: PORT=$((PORT + 1)) make demo

MSG
    exit 1
  fi
}
case "${1:-}" in
  --check-port) port_check; exit 0 ;;
  --site-url) printf '%s\n' "$SITE_URL"; exit 0 ;;
esac
port_check
# The task worker (manage.py run_worker) rides out a database restart by itself; should it
# still stop (a crash, kill -9), it is started again, and tasks it left running are put back
# in the queue by the scheduler (tinhso.scheduler: tasks_recover).
supervise() {
  while true; do
    "$@" || echo "serve.sh: '$*' stopped (exit $?); starting it again" >&2
    sleep "${RESTART_DELAY:-5}"
  done
}
if [ "${1:-}" != "--web-only" ]; then
supervise .venv/bin/python manage.py run_worker --queue-name '*' &
worker=$!
# The scheduler enqueues periodic tasks (apology drafts, due-soon reminders, notification
# retries) for the worker; running two is safe: each due run is claimed once in the database.
supervise .venv/bin/python manage.py run_scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null' EXIT
if [ -n "${DEMO_MODE:-}" ] && [ "${DEMO_MODE}" != 0 ]; then
cat <<MSG

  Tỉnh Số is running on ${SITE_URL}/
  Demo sign-ins (password: demo12345):
$(.venv/bin/python manage.py seed_demo --print-logins)
  API docs: ${SITE_URL}/api/docs/   Admin: ${SITE_URL}/admin/

MSG
fi
fi
# granian, tuned against slow clients (bench/slow_clients.py, bench/RESULTS.md, issue 6); in
# production nginx sits in front (deploy/nginx, docs/deploy.md) and absorbs them first.
# - workers: one process per core; each has its own GIL.
# - blocking threads: a thread waiting for a slow request body sleeps in the server, off the
#   GIL, but is held until the body ends or is cut off (tinhso.core.request_guard: 408 within
#   seconds); 8 per worker let 8 slow clients on one worker leave room for everyone else,
#   where 2 stalled every page for as long as 4 slow clients kept sending.
# - backpressure: requests in flight per worker; those beyond the threads wait in granian's
#   queue, not in Python, and past it the connection waits in the listen backlog.
# - header read timeout: a client must send its request line and headers within 10 s
#   (slowloris holds no thread, only a socket, and then not for long).
# - buffer size: request headers larger than 64 KiB are refused.
# - respawn: a worker process that dies is started again.
exec .venv/bin/granian --interface wsgi --host "${HOST:-127.0.0.1}" --port "$PORT" \
  --workers "${WEB_WORKERS:-2}" --blocking-threads "${WEB_THREADS:-8}" \
  --backpressure "${WEB_BACKPRESSURE:-64}" \
  --http1-header-read-timeout "${WEB_HEADER_TIMEOUT_MS:-10000}" --http1-buffer-size 65536 \
  --respawn-failed-workers --workers-kill-timeout 30 \
  --static-path-route /static --static-path-mount var/static tinhso.wsgi:application
