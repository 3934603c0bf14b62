#!/usr/bin/env bash
# Debian packages ncc-scorecard needs beside Python: Pango for WeasyPrint, HarfBuzz's
# subsetter (WeasyPrint warns without it), and poppler-utils for the PDF tests.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || need+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || need+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || need+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
if [ "${1:-}" = "--test" ]; then
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "ncc-scorecard needs these system packages: ${need[*]}" >&2
  echo "install them with your package manager (e.g. sudo apt-get install ${need[*]})" >&2
  exit 1
fi
