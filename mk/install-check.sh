#!/bin/sh
# make install-check: installs the release build into a temporary PREFIX and runs it as a
# machine without a Swift toolchain would: from an empty folder, with nothing in the
# environment but PATH=/usr/bin:/bin, and no Swift or Foundation library among the shared
# libraries it loads.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-.build/release/pakn}
tmp=$(mktemp -d /tmp/pakn-install-check.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
make --no-print-directory install-files PREFIX="$tmp/prefix" PAKN_BIN="$bin" > /dev/null
pakn="$tmp/prefix/bin/pakn"
mkdir "$tmp/elsewhere"
echo "== shared libraries"
ldd "$pakn"
if ldd "$pakn" | grep -Ei 'swift|foundation|dispatch|icu' ; then
    echo "install-check: the binary loads a Swift library" >&2; exit 1
fi
run() { (cd "$tmp/elsewhere" && env -i PATH=/usr/bin:/bin "$pakn" "$@"); }
echo "== pakn --version"
run --version
echo "== pakn demo --cases 50"
run --db "$tmp/elsewhere/x.sqlite" --lang en demo --cases 50
echo "== pakn --as vanthu.hoankiem list --limit 3"
run --db "$tmp/elsewhere/x.sqlite" --lang en --as vanthu.hoankiem list --limit 3
echo "== man pages"
MANPATH="$tmp/prefix/share/man" man -L vi -w pakn
MANPATH="$tmp/prefix/share/man" man -L en -w pakn
echo "== installed files"
(cd "$tmp/prefix" && find . -type f | sort)
ls -l "$pakn"
echo "install-check: ok"
