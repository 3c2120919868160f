#!/usr/bin/env bash
# Installs Pantau's build, run and test dependencies from Debian 12's archive.
# Idempotent: safe to run again; does nothing new when everything is present.
# Must run as root (or through sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libglib2.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstrtspserver-1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
  libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev fonts-dejavu-core
  libzmq3-dev libcmocka-dev libswscale-dev libavutil-dev
  libonvif-dev libxml2-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev
  xvfb xauth ffmpeg
  xserver-xorg-core xserver-xorg-video-dummy xdotool
  clang libclang-rt-14-dev valgrind gnuplot-nox
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
