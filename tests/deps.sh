#!/bin/sh
# Makes sure the build and test dependencies are present. On Debian, as
# root, installs what is missing; otherwise prints the exact command to run.
# usage: deps.sh build|test|bench
PKGS="build-essential pkg-config libopenblas-dev libutf8proc-dev libstemmer-dev
libhdf5-dev libcsv-dev libjansson-dev libicu-dev libxml2-dev openmpi-bin libopenmpi-dev"
case ${1:-build} in test|bench) PKGS="$PKGS check python3 python3-sklearn python3-h5py
python3-numpy python3-scipy binutils chromium" ;; esac
# The benchmarks' peers beyond scikit-learn.
[ "${1:-build}" = bench ] && PKGS="$PKGS python3-faiss python3-gensim"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing:$missing" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -qq --no-install-recommends $missing >/dev/null; }; then
        echo "deps: apt-get failed; run: apt-get update && apt-get install -y$missing" >&2
        exit 1
    fi
    exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
exit 1
