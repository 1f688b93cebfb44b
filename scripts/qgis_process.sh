#!/usr/bin/env bash
# Run the real qgis_process with this checkout's PipeMap on the plugin path,
# enabled in a scratch profile (never the user's own), and with the venv's
# Python packages visible. Works from any directory:
#   scripts/qgis_process.sh list
#   scripts/qgis_process.sh run pipemap:createmap -- OUTPUT=/tmp/m.gpkg CRS=EPSG:4547
# PIPEMAP_QGIS_CONFIG overrides the scratch profile folder.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

config="${PIPEMAP_QGIS_CONFIG:-$PIPEMAP_BUILD/qgis-config}"
plugin_path="$PIPEMAP_BUILD/plugin-path"
mkdir -p "$plugin_path" "$config/profiles/default/QGIS"
# the plugin folder must be named pipemap, whatever the checkout is called
if [ "$(readlink "$plugin_path/pipemap" 2>/dev/null)" != "$PIPEMAP_ROOT" ]; then
    rm -f "$plugin_path/pipemap"
    ln -s "$PIPEMAP_ROOT" "$plugin_path/pipemap"
fi
ini="$config/profiles/default/QGIS/QGIS3.ini"
if ! grep -q '^pipemap=true' "$ini" 2>/dev/null; then
    printf '\n[PythonPlugins]\npipemap=true\n' >> "$ini"
fi

export QGIS_CUSTOM_CONFIG_PATH="$config"
export QGIS_PLUGINPATH="$plugin_path${QGIS_PLUGINPATH:+:$QGIS_PLUGINPATH}"
if [ -n "$PIPEMAP_SITE" ]; then
    export PYTHONPATH="$PIPEMAP_SITE${PYTHONPATH:+:$PYTHONPATH}"
fi

# QGIS 3.22's wrapper passes --noversioncheck, which 3.22 itself rejects
# (qgis/QGIS#57683): call the binary there.
bin=qgis_process
version="$(dpkg-query -W -f='${Version}' python3-qgis 2>/dev/null || true)"
case "$version" in
    3.1*|3.2*|3.3[0-4]*) [ -x /usr/bin/qgis_process.bin ] && bin=/usr/bin/qgis_process.bin ;;
esac
if ! command -v "$bin" >/dev/null 2>&1; then
    echo "qgis_process.sh: qgis_process not found; run 'make setup' (Debian package qgis)" >&2
    exit 127
fi
exec "$bin" "$@"
