#!/usr/bin/env bash
# Run PipeMap's tests headless: Xvfb (for GL/3D) + offscreen Qt, a scratch
# QGIS profile, and the venv's Python. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PIPEMAP_ROOT"
export QGIS_CUSTOM_CONFIG_PATH="$PIPEMAP_BUILD/qgis-test-config"
mkdir -p "$QGIS_CUSTOM_CONFIG_PATH" "$PIPEMAP_BUILD/test-output"
export PIPEMAP_TEST_OUTPUT="$PIPEMAP_BUILD/test-output"
# a private temp root: concurrent pytest runs would otherwise prune each other's tmp_path
PYTEST_DEBUG_TEMPROOT="$(mktemp -d "${TMPDIR:-/tmp}/pipemap-pytest.XXXXXX")"
export PYTEST_DEBUG_TEMPROOT
trap 'rm -rf "$PYTEST_DEBUG_TEMPROOT"' EXIT
# -P keeps the repo root off sys.path: our processing/ would shadow QGIS's.
cmd=("$PIPEMAP_VENV/bin/python" -P -m pytest "$@")
if command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a -s "-screen 0 1280x1024x24" "${cmd[@]}"
else
    "${cmd[@]}"
fi
