#!/usr/bin/env bash
# The API keeps its contract: schemathesis against the live schema of a freshly seeded site,
# anonymously, as the demo citizen and as the demo one-stop clerk, each with a token. Fails on
# any 5xx, any answer (status, content type, headers, body) the committed schema does not
# declare, and a live schema that differs from docs/openapi.yaml. `.ci/run` runs it.
#
#   scripts/api-contract.sh                      # 30 examples per operation, the fixed seed
#   CONTRACT_SEED=random scripts/api-contract.sh # a new random run (prints its seed)
#   CONTRACT_EXAMPLES=100 CONTRACT_RUNS=citizen scripts/api-contract.sh
#   CONTRACT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tinhso_contract scripts/api-contract.sh
#
# CONTRACT_TIMEOUT (seconds, default 900) bounds each of the runs.
# The database is SQLite in a temporary folder unless CONTRACT_DATABASE_URL names another; it is
# dropped and created again, migrated and seeded with the demo province (60 dossiers).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$root/.venv/bin/python
examples=${CONTRACT_EXAMPLES:-30}
seed=${CONTRACT_SEED:-20261130}
runs=${CONTRACT_RUNS:-anonymous citizen officer}
work=$(mktemp -d "${TMPDIR:-/tmp}/tinhso-contract.XXXXXX")
started=$SECONDS

export TINHSO_VAR_DIR=$work/var
export DATABASE_URL=${CONTRACT_DATABASE_URL:-sqlite:///$work/var/contract.sqlite3}
export SECRET_KEY=contract-run-$RANDOM$RANDOM-not-a-secret-0123456789abcdef
export LOG_LEVEL=WARNING
# The throttles answer 429 (declared in the schema) after a few requests; raise them so that
# the operations behind them are tested, not the throttle.
export RATE_ANON=100000/min RATE_TRACKING=100000/min RATE_SUBMISSION=100000/min
export RATE_AUTH=100000/min PORTAL_WRITE_RATE_LIMIT=100000/m TRACKING_RATE_LIMIT=100000/m
# The sign-in limiter (django-axes) too: the token endpoint's wrong passwords must not lock the
# one address all runs come from.
export SIGNIN_FAILURES_PER_ACCOUNT=100000 SIGNIN_FAILURES_PER_ADDRESS=100000
export ACCOUNT_REQUEST_RATE_LIMIT=100000/m ACCOUNT_CODE_RATE_LIMIT=100000/m

server=""
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== API contract: a fresh database ($(sed -E 's#//[^@/]*@#//#' <<<"$DATABASE_URL"))"
$py manage.py createdb --drop
$py manage.py migrate --noinput -v 0
$py manage.py seed_demo --dossiers 60 -v 0
cp scripts/api-contract.toml "$work/schemathesis.toml"
$py scripts/api_contract_data.py "$work/schemathesis.toml"

port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
export SITE_URL=$base
$root/.venv/bin/granian --interface wsgi --host 127.0.0.1 --port "$port" --workers 1 \
  --blocking-threads 2 --log-level warning tinhso.wsgi:application >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 60); do
  $py -c "import urllib.request as u; u.urlopen('$base/api/v1/fields/', timeout=2)" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done

echo "== API contract: the live schema is the committed docs/openapi.yaml"
$py - "$base" <<'PY'
import sys, urllib.request
request = urllib.request.Request(
    f"{sys.argv[1]}/api/schema/?lang=en", headers={"Accept": "application/vnd.oai.openapi"}
)
live = urllib.request.urlopen(request).read().decode()
if live != open("docs/openapi.yaml").read():
    sys.exit("The live schema differs from docs/openapi.yaml: run 'make schema' and commit it.")
PY

# A token for USER: from `manage.py api_token_create` where accounts has it (an officer's token
# through the API needs their second factor), else from the API's token endpoint with the demo
# password, as an integration gets one.
token() {
  if $py manage.py api_token_create --help >/dev/null 2>&1; then
    $py manage.py api_token_create "$1" --name "scripts/api-contract.sh" 2>/dev/null
    return
  fi
  $py - "$base" "$1" <<'PY'
import json, os, sys, urllib.request
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.settings")
django.setup()
from tinhso.demo.people import PASSWORD
body = json.dumps({"username": sys.argv[2], "password": PASSWORD}).encode()
request = urllib.request.Request(
    f"{sys.argv[1]}/api/v1/auth/token/", body, {"Content-Type": "application/json"}
)
print(json.load(urllib.request.urlopen(request))["token"])
PY
}
declare -A headers=([anonymous]="")
for run in $runs; do
  case $run in
    anonymous) ;;
    citizen) headers[$run]="Authorization: Token $(token congdan)" ;;
    officer) headers[$run]="Authorization: Token $(token motcua)" ;;
    *) echo "Unknown run '$run' (anonymous, citizen, officer)" >&2; exit 2 ;;
  esac
done

# A token that does not work would leave an authenticated run testing only 401s.
for run in $runs; do
  [[ -z ${headers[$run]} ]] && continue
  $py - "$base" "${headers[$run]#Authorization: }" <<'PY' || { echo "The $run token does not work." >&2; exit 1; }
import sys, urllib.request
request = urllib.request.Request(f"{sys.argv[1]}/api/v1/dossiers/", headers={"Authorization": sys.argv[2]})
urllib.request.urlopen(request, timeout=10)
PY
done

seed_args=(--seed "$seed")
[[ $seed == random ]] && seed_args=()
failed=()
for run in $runs; do
  echo "== API contract: schemathesis as $run, $examples examples per operation"
  args=(run "$base/api/schema/" --url "$base" --max-examples "$examples" "${seed_args[@]}"
    --generation-database none --request-timeout 20 --no-color)
  [[ -n ${headers[$run]} ]] && args+=(--header "${headers[$run]}")
  run_started=$SECONDS
  # Bounded: a run that hangs (a request that never ends) fails instead of holding CI.
  if (cd "$work" && timeout "${CONTRACT_TIMEOUT:-900}" \
    "$root/.venv/bin/schemathesis" --config-file schemathesis.toml "${args[@]}"); then
    echo "== API contract: $run passed in $((SECONDS - run_started)) s"
  else
    failed+=("$run")
    echo "== API contract: $run FAILED in $((SECONDS - run_started)) s" >&2
  fi
done
if grep -q "Internal Server Error\|Traceback" "$work/server.log"; then
  echo "== API contract: the server logged errors:" >&2
  cat "$work/server.log" >&2
  failed+=("server log")
fi
echo "== API contract: $((SECONDS - started)) s in all"
if ((${#failed[@]})); then
  echo "The API broke its contract (${failed[*]}): each finding becomes a test in" \
    "src/tinhso/*/tests/test_api_*.py; reproduce with the seed above." >&2
  exit 1
fi
