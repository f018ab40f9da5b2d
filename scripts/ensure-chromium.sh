#!/usr/bin/env sh
# Installs Debian's chromium (used headless by the browser tests) unless it is already there.
set -e
for b in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$b" ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
  echo "The browser tests will be skipped." >&2
  exit 0
fi
echo "Installing Debian's chromium for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
