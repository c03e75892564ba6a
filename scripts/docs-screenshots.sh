#!/usr/bin/env bash
# The report screenshots of docs/output.md: renders the reports of configs/deepseek-r1.yaml and
# configs/bench-reliability.yaml, captures their sections in headless Chromium at 1,280 px
# (scripts/browser-check.py --sections) and copies the summary and Gantt images into docs/images/.
# Needs chromium (scripts/test-report.sh installs it) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${CLUSTERSIM:-.build/release/clustersim}
[ -x "$binary" ] || { echo "docs-screenshots.sh: build first (swift build -c release --product clustersim)" >&2; exit 2; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || { echo "docs-screenshots.sh: chromium is missing (apt-get install chromium)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/clustersim-shots-XXXXXX")
trap 'rm -rf "$work"' EXIT
"$binary" report configs/deepseek-r1.yaml --html "$work/r1.html"
"$binary" report configs/bench-reliability.yaml --html "$work/reliability.html"
python3 scripts/browser-check.py "$chromium" "$work" "$work/r1.html" "$work/reliability.html" --sections
mkdir -p docs/images
cp "$work/r1-summary.png" docs/images/report-summary.png
cp "$work/r1-gantt.png" docs/images/report-gantt.png
cp "$work/reliability-gantt.png" docs/images/report-reliability-gantt.png
ls -l docs/images/report-*.png
