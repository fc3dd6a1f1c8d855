#!/usr/bin/env bash
# The wheel job (CI runs it from .ci/run; a developer can too): build the wheel, install it with the
# app extra in a fresh venv OUTSIDE the checkout, and use it from a folder that holds its own
# model.py and experiments/ (Mesa's usual layout), as a new user would:
# run, designs, sweep of a shipped design, report --quick --only C12, and the app's first page
# (and every script and stylesheet it names) served offline from the assets built into the wheel.
#
#   bash tests/wheel_job.sh                 # with the interpreter of .venv (or $MULTIVECTOR_VENV)
#   MULTIVECTOR_PYTHON=python3.13 bash tests/wheel_job.sh
#
# Needs the registry for the wheel's dependencies, and npm only if the checkout's asset cache
# (.solara-cdn, filled by .ci/setup) is incomplete. Ends with "wheel: N passed, 0 failed".
set -euo pipefail

# all in one function, parsed before it runs: editing this file meanwhile cannot change a running job
main() {
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${MULTIVECTOR_VENV:-$repo/.venv}"
python="${MULTIVECTOR_PYTHON:-$venv/bin/python}"
work="$(mktemp -d "${TMPDIR:-/tmp}/multivector-wheel.XXXXXX")"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
passed=0
started=$SECONDS
step() { echo "wheel: $*"; }
quietly() {  # run "$@" with its output in a log, shown only if it fails (setuptools is verbose)
  "$@" > "$work/step.log" 2>&1 || { grep -v "^WARNING: Location" "$work/step.log" | tail -40 >&2; return 1; }
}
ok() { passed=$((passed + 1)); echo "wheel: ok - $* (at $((SECONDS - started)) s)"; }

step "building the wheel ($("$python" --version 2>&1))"
(cd "$repo" && quietly "$python" -m pip wheel . --no-deps --wheel-dir "$work/dist")
wheel="$(ls "$work"/dist/multivector-*.whl)"
ok "built $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"

step "installing it in a fresh venv outside the checkout"
"$python" -m venv "$work/venv"
quietly "$work/venv/bin/python" -m pip install --upgrade pip
quietly "$work/venv/bin/python" -m pip install "${wheel}[app]"
mv_bin="$work/venv/bin/multivector"
mkdir -p "$work/user/experiments"
cd "$work/user"
# what a Mesa user's folder holds: these must change nothing
echo 'raise SystemExit("the user folder model.py was imported")' > model.py
echo 'raise SystemExit("the user folder experiments/ was imported")' > experiments/__init__.py
located="$("$work/venv/bin/python" -c 'import multivector; print(multivector.__file__)')"
case "$located" in "$repo"/*) echo "wheel: the installed package resolves into the checkout: $located" >&2; exit 1;; esac
ok "import multivector from site-packages, beside a model.py and an experiments/ of the user's"

"$mv_bin" run --steps 8 --seed 3 --out run.csv >/dev/null
[ "$(wc -l < run.csv)" -eq 10 ]  # header, the initial state and 8 quarters
ok "multivector run"

"$mv_bin" designs > designs.txt
grep -q "^smoke " designs.txt && grep -q "^claims/C12-activism " designs.txt
"$mv_bin" designs smoke --to my-designs >/dev/null
ok "multivector designs (lists $(grep -cE '^[^ ]+ +(sweep|calibrate|report) ' designs.txt); copied smoke.toml)"

"$mv_bin" sweep my-designs/smoke.toml --out results/smoke --workers 2 --quiet
"$mv_bin" analyze results/smoke > /dev/null
ok "multivector sweep of a shipped design, and analyze"

"$mv_bin" report --quick --only C12 --out results/report > report.txt 2>&1 || { cat report.txt >&2; exit 1; }
ok "multivector report --quick --only C12"

port="$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
env -u SOLARA_ASSETS_PROXY_CACHE_DIR "$mv_bin" app --port "$port" > app.log 2>&1 &
app_pid=$!
"$work/venv/bin/python" - "$port" <<'EOF'
import re, sys, time, urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
deadline = time.monotonic() + 120
while True:
    try:
        page = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit("wheel: the app did not answer within 120 s")
        time.sleep(0.5)
assets = sorted(set(re.findall(r'(?:src|href)="([^"]*/_solara/cdn/[^"]+)"', page)))
if not assets:
    sys.exit("wheel: the app's first page names no asset from the offline cache")
for url in assets:
    url = url if url.startswith("http") else base + "/" + url.lstrip("./").removeprefix("/")
    with urllib.request.urlopen(url, timeout=30) as answer:  # an asset missing from the wheel: HTTP 404 or 500
        if answer.status != 200 or not answer.read(1):
            sys.exit(f"wheel: {url} answered {answer.status}")
print(f"wheel: the first page and its {len(assets)} assets from the offline cache")
EOF
ok "multivector app serves its first page offline"

echo "wheel: $passed passed, 0 failed"
}

main "$@"
