#!/usr/bin/env bash
# Idempotent set-up for PipeMap on Debian 12/13:
#   apt packages (when root and missing) -> venv from /usr/bin/python3 with
#   system site packages -> pinned pip requirements (numpy pinned to the
#   system's) -> native kernel (when sources exist) -> compiled translations.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$PIPEMAP_ROOT"
started=$(date +%s)

APT_PACKAGES=(qgis qgis-providers python3-qgis python3-gdal gdal-bin python3-pyproj python3-numpy
  python3-psycopg2 python3-venv python3-pip python3-pytest xvfb xauth libgl1-mesa-dri
  postgresql postgresql-postgis gcc libc6-dev make pyqt5-dev-tools qttools5-dev-tools git zip unzip
  python3-matplotlib python3-scipy fonts-wqy-microhei poppler-utils)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
        echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >"$PIPEMAP_BUILD/apt.log" 2>&1 || {
            tail -n 30 "$PIPEMAP_BUILD/apt.log"; echo "setup: apt-get install failed" >&2; exit 1; }
    else
        echo "setup: missing Debian packages (run as root or install them): ${missing[*]}" >&2
        exit 1
    fi
fi

if [ ! -x "$PIPEMAP_VENV/bin/python" ]; then
    echo "setup: creating $PIPEMAP_VENV from /usr/bin/python3 (system site packages)"
    /usr/bin/python3 -m venv --system-site-packages "$PIPEMAP_VENV"
fi

# numpy must stay the system's, or pip pulls numpy 2 and breaks osgeo.gdal_array
/usr/bin/python3 -c "import numpy; print('numpy==' + numpy.__version__)" > "$PIPEMAP_BUILD/constraints.txt"
stamp="$PIPEMAP_BUILD/.pip-stamp"
want="$(cat requirements.txt requirements-dev.txt "$PIPEMAP_BUILD/constraints.txt" | sha256sum | cut -c1-64)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing Python requirements into the venv"
    "$PIPEMAP_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r requirements-dev.txt -c "$PIPEMAP_BUILD/constraints.txt"
    echo "$want" > "$stamp"
fi

# native kernel (added with GPR picking); built only when its sources exist
if compgen -G "core/gpr/kernel/src/*.c" > /dev/null; then
    make --no-print-directory -s kernel
fi

make --no-print-directory -s qm
echo "setup: ready in $(( $(date +%s) - started )) s"
