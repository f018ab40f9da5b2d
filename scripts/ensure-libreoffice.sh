#!/usr/bin/env sh
# Installs Debian's LibreOffice Writer (headless, used by the Word-draft rendering test) and
# the Liberation fonts (metric-compatible with Times New Roman) unless they are already there.
# Never fails: without root/sudo or without the package, the rendering test is skipped with a
# message naming this script.
for b in /usr/bin/soffice /usr/bin/libreoffice; do
  if [ -x "$b" ] && [ -d /usr/share/fonts/truetype/liberation2 ]; then exit 0; fi
done
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "LibreOffice is missing and this user cannot install it: run" >&2
  echo "'apt-get install libreoffice-writer-nogui fonts-liberation2' as root." >&2
  echo "The Word-draft rendering test will be skipped." >&2
  exit 0
fi
echo "Installing Debian's LibreOffice Writer (headless) for the Word-draft rendering test..."
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq >/dev/null &&
  $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui \
    fonts-liberation2 >/dev/null; }; then
  echo "Could not install libreoffice-writer-nogui; the rendering test will be skipped." >&2
fi
exit 0
