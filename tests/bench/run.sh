#!/usr/bin/env bash
# All benchmarks, one command:  tests/bench/run.sh [name...]   (default: all, in the table's order)
# Builds the benchmark targets that are missing in $BUILD_DIR (default: build/ beside tests/), installs the
# peers that are missing (Debian packages; npm packages into tests/bench/node_modules, see package.json), runs
# each benchmark against its peer in the same run and prints markdown tables for docs/benchmarks.md.
# BENCH_SHOTS=<dir> keeps the last frame of each 3D case; generated inputs are cached in $TWIN_BENCH_DATA
# (default /tmp/twin-bench, ~800 MB).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO/build}
export TWIN_BENCH_DIR=$HERE

# name | targets to build | Debian peers | npm peers? | how it runs | title
benchmarks="
ode        | bench_ode_lorenz                    | python3-scipy                  | no  | lorenz | ODE: Lorenz, sim-ode DOPRI5 vs SUNDIALS CVODE vs scipy solve_ivp
mc         | bench_monte_carlo                   |                                | no  | plain  | Monte Carlo sweep on worker processes
calibration | bench_calibration                  | python3-scipy                  | no  | plain  | Calibration: ODE fit vs in-process floor and scipy, FMU runs/s, Sobol 10 000 runs
des        | bench_des_mm1 sim_des               | python3-simpy                  | no  | plain  | Discrete-event M/M/1 throughput vs SimPy 2.3.1
fmi        | bench_fmi_overhead                  |                                | no  | plain  | FMI step overhead (native vs FMU)
fmi-me     | bench_fmi_me                        |                                | no  | plain  | FMI model exchange (CVODE, DOPRI5) vs the FMU's own co-simulation
dtdl       | bench_dtdl_import                   |                                | no  | plain  | DTDL import
instancing | bench_instancing                    |                                | no  | xvfb   | 3D instancing and picking (Xvfb, llvmpipe, 1280x720)
csv        | bench_csv_ingest                    | python3-pandas                 | yes | plain  | CSV -> in-memory store vs Polars and pandas
durable    | bench_csv_durable                   | sqlite3                        | no  | plain  | CSV -> durable project store vs sqlite3 .import
mqtt       | bench_mqtt_ingest conn_mqtt         | mosquitto mosquitto-clients    | no  | plain  | Live MQTT ingest vs mosquitto_sub
replay     | bench_replay_state                  |                                | yes | plain  | Replay + state derivation vs DuckDB SQL
decimation | bench_decimation                    |                                | no  | plain  | Plot decimation (10 M points)
detect     | bench_detect                        | python3-numpy                  | no  | plain  | Anomaly detection: SKAB protocol, chart speed, T2Q vs numpy
shadow     | bench_shadow                        |                                | no  | plain  | Shadow simulation: demo pumps chunk by chunk vs one unbroken job each
"
field() { awk -F'|' -v n="$1" -v f="$2" '{gsub(/^ +| +$/, "", $1)} $1 == n {gsub(/^ +| +$/, "", $f); print $f}' <<<"$benchmarks"; }
all=$(awk -F'|' 'NF > 1 {gsub(/ /, "", $1); print $1}' <<<"$benchmarks")

selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || mapfile -t selected <<<"$all"
for name in "${selected[@]}"; do
  if [[ -z $(field "$name" 2) ]]; then
    echo "unknown benchmark '$name' (known: $(echo $all))" >&2
    exit 2
  fi
done

# Build what is missing (one build at a time: never run this beside another build on 2 cores).
targets=()
for name in "${selected[@]}"; do
  for t in $(field "$name" 2); do
    [[ $t == bench_* && -x "$BUILD_DIR/tests/$t" ]] || targets+=("$t")
  done
done
if [[ ${#targets[@]} -gt 0 ]]; then
  [[ -f "$BUILD_DIR/build.ninja" || -f "$BUILD_DIR/Makefile" ]] ||
    cmake -S "$REPO" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
  cmake --build "$BUILD_DIR" --target "${targets[@]}" >&2
fi

# Peers: Debian packages only when missing, npm packages only when node_modules lacks them.
missing=()
npm=no
for name in "${selected[@]}"; do
  for p in $(field "$name" 3); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ $(field "$name" 4) == yes ]] && npm=yes
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}" >&2
  sudo_=(); [[ $(id -u) == 0 ]] || sudo_=(sudo)
  "${sudo_[@]}" apt-get install -y "${missing[@]}" >&2 || { "${sudo_[@]}" apt-get update >&2 &&
    "${sudo_[@]}" apt-get install -y "${missing[@]}" >&2; }
fi
if [[ $npm == yes && ( ! -d $HERE/node_modules/nodejs-polars || ! -d $HERE/node_modules/nodejs-polars-linux-x64-gnu ||
  ! -d $HERE/node_modules/@duckdb/node-api ) ]]; then
  echo "npm install (tests/bench/node_modules)" >&2
  (cd "$HERE" && npm install --no-package-lock --no-audit --no-fund >&2)
fi

for name in "${selected[@]}"; do
  bin="$BUILD_DIR/tests/$(field "$name" 2 | cut -d' ' -f1)"
  echo "## $(field "$name" 6)"
  case $(field "$name" 5) in
  plain) "$bin" ;;
  # Quick 3D draws nothing on the offscreen platform: a real X server is needed.
  xvfb) env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1280x800x24' "$bin" ;;
  # The scipy peer runs with Debian's python3 (python3-scipy); both print JSON lines, merged into one table.
  lorenz) { "$bin"; /usr/bin/python3 "$HERE/peers/lorenz_scipy.py" 1e-6; } | python3 "$HERE/peers/lorenz_table.py" ;;
  esac
  echo
done
