#!/usr/bin/env bash
# All benchmarks, one command. Builds nothing: expects the binaries in $BUILD_DIR/tests
# (default /work/main/build), e.g.
#   flock /tmp/twin-build.lock cmake --build build --target bench_dtdl_import bench_instancing
# Each benchmark prints a markdown table. BENCH_SHOTS=<dir> keeps the last frame of each 3D case.
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-/work/main/build}
status=0
for bench in bench_dtdl_import bench_instancing; do
  if [[ ! -x "$BUILD_DIR/tests/$bench" ]]; then
    echo "missing $BUILD_DIR/tests/$bench: build that target first" >&2
    status=1
  fi
done
[[ $status == 0 ]] || exit $status

echo "## DTDL import"
"$BUILD_DIR/tests/bench_dtdl_import"
echo
echo "## 3D instancing (Xvfb, llvmpipe, 1280x720)"
# Quick 3D draws nothing on the offscreen platform: a real X server is needed.
env -u QT_QPA_PLATFORM xvfb-run -a -s '-screen 0 1280x800x24' "$BUILD_DIR/tests/bench_instancing"
