#!/usr/bin/env bash
# Layout peers for the scale bench (issue 17, item 4): installs python-igraph and fa2_modified
# into a venv under the ignored .tools/py, writes the bench's graphs (SCALE_ONLY=graphs), runs
# benches/peers/layout_peers.py on them and leaves target/bench/peers.json, which
# `cargo bench --bench scale` then puts beside our layout's rows.
# Usage: bash benches/peers/run.sh        (then: SCALE_ONLY=layout,quality cargo bench --bench scale)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.tools/py
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check igraph==1.0.0 fa2_modified==0.4 numpy scipy
SCALE_ONLY=graphs cargo bench --locked --bench scale
"$venv/bin/python" benches/peers/layout_peers.py target/bench
