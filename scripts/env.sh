# Shared environment for PipeMap's scripts (source it; do not run it).
# Sets the headless Qt platform, PROJ data, a scratch QGIS profile and the
# venv's site-packages, so nothing touches the user's real QGIS profile.
PIPEMAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PIPEMAP_ROOT
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export PROJ_DATA="${PROJ_DATA:-/usr/share/proj}"
export PIPEMAP_BUILD="${PIPEMAP_BUILD:-$PIPEMAP_ROOT/build}"
mkdir -p "$PIPEMAP_BUILD"
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR}" ]; then
    export XDG_RUNTIME_DIR="$PIPEMAP_BUILD/xdg-runtime"
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi
PIPEMAP_VENV="${PIPEMAP_VENV:-$PIPEMAP_ROOT/.venv}"
export PIPEMAP_VENV
# site-packages of the venv, for the embedded Python of qgis_process
PIPEMAP_SITE="$(ls -d "$PIPEMAP_VENV"/lib/python3*/site-packages 2>/dev/null | head -n 1 || true)"
export PIPEMAP_SITE
