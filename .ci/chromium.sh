#!/usr/bin/env bash
# Chromium for the web page's browser tests (tests/test_web_*.py): Debian's own package, driven by
# Playwright for Python through executable_path. Playwright never downloads a browser here.
# Idempotent: does nothing when /usr/bin/chromium is already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  /usr/bin/chromium --version
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "chromium.sh: /usr/bin/chromium is absent and there is no apt-get; install Chromium and" \
       "set FLUXPARAMS_CHROMIUM to its path" >&2
  exit 1
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -q
sudo_if_needed apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
/usr/bin/chromium --version
