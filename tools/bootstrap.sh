#!/usr/bin/env bash
# Set up, build and then either run the workbench or run the whole test suite.
#   tools/bootstrap.sh run  [args...]   install packages, build, open the workbench (demo twin by default)
#   tools/bootstrap.sh test             install packages, build, run every test under Xvfb
#   tools/bootstrap.sh build            install packages and build only
set -euo pipefail
mode=${1:-run}
shift || true
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TWIN_BUILD_DIR:-$root/build}

# Debian 12 packages. qml6-module-* are runtime QML modules no -dev package pulls in: list each one imported.
packages=(
  cmake ninja-build ccache g++ pkg-config
  qt6-base-dev qt6-declarative-dev qt6-quick3d-dev qt6-shadertools-dev libqt6opengl6-dev qt6-svg-dev
  qml6-module-qtqml qml6-module-qtqml-models qml6-module-qtqml-workerscript qml6-module-qtquick
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtquick-controls
  qml6-module-qtquick-layouts qml6-module-quick3d qml6-module-quick3d-helpers qml6-module-qttest
  libvtk9-dev libeigen3-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libmuparser-dev
  libmosquitto-dev mosquitto mosquitto-clients libsundials-dev
  libzip-dev libpugixml-dev libhowardhinnant-date-dev libceres-dev libnlopt-cxx-dev libssl-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core openssl binutils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${#missing[@]} Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "== configuring and building in $build"
if [ ! -f "$build/build.ninja" ] || ! grep -q 'TWIN_BUILD_GUI:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTWIN_BUILD_GUI=ON
fi
cmake --build "$build" -j "$(nproc)"

case "$mode" in
  run)
    exec "$build/bin/twinworks" "$@"
    ;;
  test)
    echo "== running the test suite under Xvfb"
    cd "$build"
    exec xvfb-run -a -s '-screen 0 1280x800x24' ctest --output-on-failure --timeout 600 "$@"
    ;;
  build)
    ;;
  *)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
