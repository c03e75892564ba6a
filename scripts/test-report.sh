#!/usr/bin/env bash
# The HTML report's browser test (issue 17), run by `make test`: writes the report of the
# reference run (configs/deepseek-r1.yaml), of the failure benchmark (configs/bench-reliability.yaml)
# and of a DeepSeek-V3 sweep, then opens each in headless Chromium (scripts/browser-check.py, which
# speaks the DevTools protocol): no uncaught exception, console error or failed load; every charted
# section draws SVG shapes; the Gantt zooms; a tooltip shows on hover. The screenshots (PNG) and the
# printed pages (PDF) go to .build/test-output/report/. Installs Debian's chromium when it is
# missing; skipped, with the reason, only where it cannot be installed. Chromium is started and
# stopped by browser-check.py, by its process id.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${CLUSTERSIM:-.build/release/clustersim}
[ -x "$binary" ] || { echo "test-report.sh: build first (swift build -c release --product clustersim)" >&2; exit 2; }
out=.build/test-output/report
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"

find_chromium() { command -v chromium || command -v chromium-browser || true; }
chromium=$(find_chromium)
if [ -z "$chromium" ] || ! command -v python3 >/dev/null; then
  if ! command -v apt-get >/dev/null || { [ -n "$sudo" ] && ! sudo -n true 2>/dev/null; }; then
    echo "browser test skipped: chromium is missing and cannot be installed here (no apt-get, or not root and no password-less sudo)"
    exit 0
  fi
  echo "installing chromium (and python3) with apt-get"
  if ! { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium python3 >/dev/null; }; then
    echo "browser test skipped: apt-get could not install chromium (no package source?)"
    exit 0
  fi
  chromium=$(find_chromium)
  [ -n "$chromium" ] || { echo "browser test skipped: chromium installed but not on PATH"; exit 0; }
fi

rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
"$binary" report configs/deepseek-r1.yaml --html "$out/deepseek-r1.html"
"$binary" report configs/bench-reliability.yaml --html "$out/bench-reliability.html"
"$binary" report configs/deepseek-v3.yaml --replications 20 \
  --sweep "--phase pre-training --gpus 512...4096x2 --replications 10" --html "$out/deepseek-v3-sweep.html"
# The check must be able to fail: a copy of the page with a script error and a hidden chart.
sed -e 's|</body>|<script>notDefinedAnywhere();</script></body>|' \
  -e 's|</style>|#cost svg { display: none; }</style>|' "$out/deepseek-r1.html" >"$out/broken.html"
if python3 scripts/browser-check.py "$chromium" "$out" "$out/broken.html" >"$out/broken.txt" 2>&1 \
  || ! grep -q "notDefinedAnywhere" "$out/broken.txt" || ! grep -q "section #cost" "$out/broken.txt"; then
  echo "browser test FAILED: a broken page was not caught:" >&2
  cat "$out/broken.txt" >&2
  exit 1
fi
echo "ok: a page with a script error and a hidden chart fails the check"
if python3 scripts/browser-check.py "$chromium" "$out" \
  "$out/deepseek-r1.html" "$out/bench-reliability.html" "$out/deepseek-v3-sweep.html"; then
  echo "browser test passed in $(( $(date +%s) - start )) s; screenshots and PDFs in $out"
else
  echo "browser test FAILED; screenshots so far in $out" >&2
  exit 1
fi
