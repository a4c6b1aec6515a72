#!/usr/bin/env bash
# All benchmarks, one command: tests/bench/run.sh [name...]  (names: dtdl instancing csv durable mqtt replay
# decimation; default all). Builds nothing: expects the binaries in $BUILD_DIR/tests (default
# /work/main/build), e.g.
#   flock /tmp/twin-build.lock cmake --build build --target bench_dtdl_import bench_instancing \
#     bench_csv_ingest bench_csv_durable bench_mqtt_ingest bench_replay_state bench_decimation conn_mqtt
# Installs the peers when missing (Debian: python3-pandas sqlite3 mosquitto mosquitto-clients; npm, into
# tests/bench/node_modules: nodejs-polars, nodejs-polars-linux-x64-gnu, @duckdb/node-api, see package.json).
# Each benchmark prints a markdown table. BENCH_SHOTS=<dir> keeps the last frame of each 3D case; generated
# inputs are cached in $TWIN_BENCH_DATA (default /tmp/twin-bench, ~800 MB).
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-/work/main/build}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export TWIN_BENCH_DIR=$HERE

all=(dtdl instancing csv durable mqtt replay decimation)
selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || selected=("${all[@]}")
declare -A binary=([dtdl]=bench_dtdl_import [instancing]=bench_instancing [csv]=bench_csv_ingest
  [durable]=bench_csv_durable [mqtt]=bench_mqtt_ingest [replay]=bench_replay_state [decimation]=bench_decimation)
status=0
for name in "${selected[@]}"; do
  bin=${binary[$name]:-}
  if [[ -z $bin ]]; then
    echo "unknown benchmark '$name' (known: ${all[*]})" >&2
    exit 2
  fi
  if [[ ! -x "$BUILD_DIR/tests/$bin" ]]; then
    echo "missing $BUILD_DIR/tests/$bin: build that target first" >&2
    status=1
  fi
done
[[ $status == 0 ]] || exit $status
wants() { [[ " ${selected[*]} " == *" $1 "* ]]; }

# Peers: Debian packages only when missing, npm packages only when node_modules lacks them.
debs=()
wants csv && debs+=(python3-pandas)
wants durable && debs+=(sqlite3)
wants mqtt && debs+=(mosquitto mosquitto-clients)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}" >&2
  sudo_=(); [[ $(id -u) == 0 ]] || sudo_=(sudo)
  "${sudo_[@]}" apt-get install -y "${missing[@]}" >&2 || { "${sudo_[@]}" apt-get update >&2 &&
    "${sudo_[@]}" apt-get install -y "${missing[@]}" >&2; }
fi
if wants csv || wants replay; then
  if [[ ! -d $HERE/node_modules/nodejs-polars || ! -d $HERE/node_modules/nodejs-polars-linux-x64-gnu ||
    ! -d $HERE/node_modules/@duckdb/node-api ]]; then
    echo "npm install (tests/bench/node_modules)" >&2
    (cd "$HERE" && npm install --no-package-lock --no-audit --no-fund >&2)
  fi
fi

for name in "${selected[@]}"; do
  case $name in
  dtdl)
    echo "## DTDL import"
    "$BUILD_DIR/tests/bench_dtdl_import" ;;
  instancing)
    echo "## 3D instancing (Xvfb, llvmpipe, 1280x720)"
    # Quick 3D draws nothing on the offscreen platform: a real X server is needed.
    env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1280x800x24' "$BUILD_DIR/tests/bench_instancing" ;;
  csv)
    echo "## CSV -> in-memory store vs Polars and pandas"
    "$BUILD_DIR/tests/bench_csv_ingest" ;;
  durable)
    echo "## CSV -> durable project store vs sqlite3 .import"
    "$BUILD_DIR/tests/bench_csv_durable" ;;
  mqtt)
    echo "## Live MQTT ingest vs mosquitto_sub"
    "$BUILD_DIR/tests/bench_mqtt_ingest" ;;
  replay)
    echo "## Replay + state derivation vs DuckDB SQL"
    "$BUILD_DIR/tests/bench_replay_state" ;;
  decimation)
    echo "## Plot decimation (10 M points)"
    "$BUILD_DIR/tests/bench_decimation" ;;
  esac
  echo
done
