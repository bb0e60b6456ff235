#!/usr/bin/env bash
# Start the production WSGI server (granian), the task worker and the scheduler; stop them all
# on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
# Links printed on slips (QR codes) and sent in messages point to this server's own port.
export SITE_URL=${SITE_URL:-http://127.0.0.1:${PORT}}
export STATIC_MANIFEST=${STATIC_MANIFEST:-0}
# The task worker exits when the database goes away (a restart, a failover): run it again, so
# notifications and scheduled work resume by themselves (tasks wait in the database meanwhile).
supervise() {
  while true; do
    "$@" || echo "serve.sh: '$*' stopped (exit $?); starting it again" >&2
    sleep "${RESTART_DELAY:-5}"
  done
}
supervise .venv/bin/python manage.py db_worker --queue-name '*' &
worker=$!
# The scheduler enqueues periodic tasks (apology drafts, due-soon reminders, notification
# retries) for the worker; running two is safe: each due run is claimed once in the database.
supervise .venv/bin/python manage.py run_scheduler &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null' EXIT
cat <<MSG

  Tỉnh Số is running on http://127.0.0.1:${PORT}/
  Demo sign-ins (password: demo12345):
$(.venv/bin/python manage.py seed_demo --print-logins)
  API docs: http://127.0.0.1:${PORT}/api/docs/   Admin: http://127.0.0.1:${PORT}/admin/

MSG
# Few threads per worker: more only fight over the GIL and lengthen the slowest answers
# (bench/RESULTS.md); add workers (processes) for more concurrency.
exec .venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$PORT" \
  --workers "${WEB_WORKERS:-2}" --blocking-threads "${WEB_THREADS:-2}" \
  --static-path-route /static --static-path-mount var/static tinhso.wsgi:application
