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

# ---- Issue 4, ODE backend: `run.sh ode` (also part of the default run). Lorenz t=0..100: sim-ode DOPRI5 vs
# SUNDIALS CVODE (Adams, direct) vs scipy solve_ivp RK45 (python3-scipy installed when missing). Needs target
# bench_ode_lorenz. Kept separate from the list below; it strips "ode" from the arguments. ----
ode_rest=()
ode_run=0
for a in "$@"; do if [[ $a == ode ]]; then ode_run=1; else ode_rest+=("$a"); fi; done
[[ $# -gt 0 ]] || ode_run=1
if [[ $ode_run == 1 ]]; then
  if [[ ! -x "$BUILD_DIR/tests/bench_ode_lorenz" ]]; then
    echo "missing $BUILD_DIR/tests/bench_ode_lorenz: build that target first" >&2
    exit 1
  fi
  if ! dpkg-query -W -f='${Status}' python3-scipy 2>/dev/null | grep -q "install ok installed"; then
    ode_sudo=(); [[ $(id -u) == 0 ]] || ode_sudo=(sudo)
    "${ode_sudo[@]}" apt-get install -y python3-scipy >&2
  fi
  {
    "$BUILD_DIR/tests/bench_ode_lorenz"
    /usr/bin/python3 "$HERE/peers/lorenz_scipy.py" 1e-6 # Debian python3-scipy
  } | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
ref = rows.pop(0)
print("### Lorenz t=0..100 (error: max abs at t=10 vs %s; CVODE 1e-12 differs by %.1e)" % (ref["reference"], ref["cvodeDisagreement"]))
print("| solver | rtol | atol | median ms | steps | f evals | error at t=10 |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print("| %s | %g | %g | %.3f | %d | %d | %.2e |" % (r["solver"], r["rtol"], r["atol"], r["medianMs"], r["steps"], r["rhsEvals"], r["errorAt10"]))
'
  [[ ${#ode_rest[@]} -gt 0 || $# -eq 0 ]] || exit 0
fi
set -- ${ode_rest[@]+"${ode_rest[@]}"}
# ---- end of the ODE block ----

# ---- Issue 4, scenarios: `run.sh mc` (also part of the default run). A 1,000-run Monte Carlo sweep of the demo's
# baseline what-if on 1 and 2 worker processes (runs/s, speed-up). Needs target bench_monte_carlo. Env:
# BENCH_MC_RUNS. Strips "mc" from the arguments. ----
mc_rest=()
mc_run=0
for a in "$@"; do if [[ $a == mc ]]; then mc_run=1; else mc_rest+=("$a"); fi; done
[[ $# -gt 0 ]] || mc_run=1
if [[ $mc_run == 1 ]]; then
  if [[ ! -x "$BUILD_DIR/tests/bench_monte_carlo" ]]; then
    echo "missing $BUILD_DIR/tests/bench_monte_carlo: build target bench_monte_carlo first" >&2
    exit 1
  fi
  echo "## Monte Carlo sweep on worker processes"
  "$BUILD_DIR/tests/bench_monte_carlo"
  echo
  [[ ${#mc_rest[@]} -gt 0 || $# -eq 0 ]] || exit 0
fi
set -- ${mc_rest[@]+"${mc_rest[@]}"}
# ---- end of the Monte Carlo block ----

# ---- Issue 4, discrete-event backend: `run.sh des` (also part of the default run). M/M/1 throughput: sim-des vs
# SimPy 2.3.1 (python3-simpy, installed when missing; run with /usr/bin/python3). Needs targets bench_des_mm1
# and sim_des. Kept separate from the list below; it strips "des" from the arguments. ----
des_rest=()
des_run=0
for a in "$@"; do if [[ $a == des ]]; then des_run=1; else des_rest+=("$a"); fi; done
[[ $# -gt 0 ]] || des_run=1
if [[ $des_run == 1 ]]; then
  if [[ ! -x "$BUILD_DIR/tests/bench_des_mm1" ]]; then
    echo "missing $BUILD_DIR/tests/bench_des_mm1: build targets bench_des_mm1 sim_des first" >&2
    exit 1
  fi
  if ! dpkg-query -W -f='${Status}' python3-simpy 2>/dev/null | grep -q "install ok installed"; then
    des_sudo=(); [[ $(id -u) == 0 ]] || des_sudo=(sudo)
    "${des_sudo[@]}" apt-get install -y python3-simpy >&2 || { "${des_sudo[@]}" apt-get update >&2 &&
      "${des_sudo[@]}" apt-get install -y python3-simpy >&2; }
  fi
  echo "## Discrete-event M/M/1 throughput vs SimPy 2.3.1"
  "$BUILD_DIR/tests/bench_des_mm1"
  echo
  [[ ${#des_rest[@]} -gt 0 || $# -eq 0 ]] || exit 0
fi
set -- ${des_rest[@]+"${des_rest[@]}"}
# ---- end of the DES block ----

# ---- Issue 4, FMI step overhead: `run.sh fmi` (also part of the default run). The decay model as a native
# in-process Simulator vs as an FMU (FMI 2 and 3, in process; and through twin-simworker). Needs target
# bench_fmi_overhead (builds the test FMUs, sim_fmi and twin-simworker). Strips "fmi" from the arguments. ----
fmi_rest=()
fmi_run=0
for a in "$@"; do if [[ $a == fmi ]]; then fmi_run=1; else fmi_rest+=("$a"); fi; done
[[ $# -gt 0 ]] || fmi_run=1
if [[ $fmi_run == 1 ]]; then
  if [[ ! -x "$BUILD_DIR/tests/bench_fmi_overhead" ]]; then
    echo "missing $BUILD_DIR/tests/bench_fmi_overhead: build that target first" >&2
    exit 1
  fi
  echo "## FMI step overhead (native vs FMU)"
  "$BUILD_DIR/tests/bench_fmi_overhead"
  echo
  [[ ${#fmi_rest[@]} -gt 0 || $# -eq 0 ]] || exit 0
fi
set -- ${fmi_rest[@]+"${fmi_rest[@]}"}
# ---- end of the FMI block ----

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
