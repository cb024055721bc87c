#!/usr/bin/env bash
# Builds the release binaries of onewindow into dist/:
#
#   scripts/release.sh v0.3.0
#
# Static binaries (pure Go: CGO_ENABLED=0, built with -trimpath) for
# linux/amd64, linux/arm64 (Kunpeng and Phytium servers) and windows/amd64,
# each carrying the release version (main.version) and the revision it was
# built from; LICENSE and the licence texts of every module compiled into
# them (THIRD_PARTY_LICENSES.txt); and SHA256SUMS over all of it.
# Run it from a git checkout: the revision comes from there.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-}
if [[ ! $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: scripts/release.sh VERSION   (a semantic version such as v0.3.0 or v0.3.0-rc.1)" >&2
  exit 2
fi
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "release: not a git checkout: the binaries would not know their revision" >&2
  exit 1
fi
if [ ! -d .git ]; then
  # The go command reads the revision only where .git is a folder, not in
  # a linked worktree (where .git is a file).
  echo "release: this is a linked git worktree, whose revision the go command does not read;" >&2
  echo "         release from a clone: git clone --branch BRANCH THIS-REPO /tmp/onewindow-release" >&2
  exit 1
fi
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "release: warning: the tree has uncommitted changes; the binaries will say 'modified: true'" >&2
fi

targets=(linux/amd64 linux/arm64 windows/amd64)
out=dist
rm -rf "$out"
mkdir -p "$out"

for target in "${targets[@]}"; do
  goos=${target%/*} goarch=${target#*/}
  bin="$out/onewindow-$version-$goos-$goarch"
  [ "$goos" = windows ] && bin="$bin.exe"
  echo "building $bin"
  # -buildvcs=true on the command line wins over a GOFLAGS that turns it off.
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
    go build -trimpath -buildvcs=true -ldflags "-s -w -X main.version=$version" -o "$bin" ./cmd/onewindow
done

# The binary for this machine, if there is one, must tell what it is.
host="$out/onewindow-$version-$(go env GOHOSTOS)-$(go env GOHOSTARCH)"
[ "$(go env GOHOSTOS)" = windows ] && host="$host.exe"
if [ -x "$host" ]; then
  report=$("$host" version)
  echo "$report" | sed 's/^/  /'
  if ! grep -qx "onewindow $version" <<<"$(head -n1 <<<"$report")" || ! grep -q '^revision: [0-9a-f]\{7,\}' <<<"$report"; then
    echo "release: $host does not report version $version and a revision" >&2
    exit 1
  fi
fi

cp LICENSE "$out/LICENSE"
{
  echo "Licences of the modules compiled into the onewindow $version binaries"
  echo "(see docs/LICENSES.md). The Go standard library and runtime are in every binary."
  modules=$(for target in "${targets[@]}"; do
    GOOS=${target%/*} GOARCH=${target#*/} CGO_ENABLED=0 \
      go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}}@{{.Version}}	{{.Dir}}{{end}}{{end}}' ./cmd/onewindow
  done | sort -u)
  goroot=$(go env GOROOT)
  printf '\n\n===== Go %s (standard library and runtime): %s\n\n' "$(go env GOVERSION)" LICENSE
  cat "$goroot/LICENSE"
  while IFS=$'\t' read -r mod dir; do
    [ -n "$mod" ] || continue
    found=0
    for f in "$dir"/LICENSE* "$dir"/LICENCE* "$dir"/COPYING* "$dir"/NOTICE*; do
      [ -f "$f" ] || continue
      found=1
      printf '\n\n===== %s: %s\n\n' "$mod" "$(basename "$f")"
      cat "$f"
    done
    if [ "$found" = 0 ]; then
      echo "release: $mod has no licence file in $dir" >&2
      exit 1
    fi
  done <<<"$modules"
} >"$out/THIRD_PARTY_LICENSES.txt"

(cd "$out" && sha256sum -- * >SHA256SUMS && sha256sum --quiet -c SHA256SUMS)
echo
ls -l "$out"
echo "release $version: $(wc -l <"$out/SHA256SUMS") files in $out/, checksums in $out/SHA256SUMS"
