#!/usr/bin/env bash
# Builds Vitess's vtcombo at the version pinned in go.mod, into a cache outside the repository,
# and prints the binary's path. Reused when present (delete the cache directory to rebuild).
#
#   vitess-local/vtcombo/build.sh            # build (or reuse) and print the path
#   OI_VTCOMBO_CACHE=/some/dir build.sh      # another cache root (default ~/.cache/openinsure-db)
#
# Needs Go (see go.mod's go line) and the Go module proxy. Linking takes several GB of RAM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="$(awk '$1 == "require" && $2 == "vitess.io/vitess" {print $3}' "$here/go.mod")"
[ -n "$version" ] || { echo "build.sh: no 'require vitess.io/vitess <version>' line in $here/go.mod" >&2; exit 1; }
cache="${OI_VTCOMBO_CACHE:-$HOME/.cache/openinsure-db}/vitess-$version"
bin="$cache/vtcombo"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed; vtcombo cannot be built (the Vitess tier will be skipped)" >&2; exit 1; }
mkdir -p "$cache"
start=$(date +%s)
echo "build.sh: building vtcombo $version into $cache (first time only; several minutes)" >&2
(cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin.tmp" vitess.io/vitess/go/cmd/vtcombo)
mv "$bin.tmp" "$bin"
echo "build.sh: built in $(( $(date +%s) - start )) s" >&2
echo "$bin"
