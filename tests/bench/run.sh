#!/usr/bin/env bash
# 3D instancing benchmark: our scene vs the stock Qt Quick 3D instancing scene, 1k/10k/100k cubes.
# Builds nothing: expects bench_instancing in $BUILD_DIR (default /work/main/build), e.g.
#   flock /tmp/twin-build.lock cmake --build build --target bench_instancing
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-/work/main/build}
BENCH="$BUILD_DIR/tests/bench_instancing"
if [[ ! -x "$BENCH" ]]; then
  echo "missing $BENCH: build the bench_instancing target first" >&2
  exit 1
fi
unset QT_QPA_PLATFORM # Quick 3D draws nothing on the offscreen platform
exec xvfb-run -a -s '-screen 0 1280x800x24' "$BENCH" "$@"
