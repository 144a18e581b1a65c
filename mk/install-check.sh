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
# As root: again in a chroot that holds nothing but the binary and the libraries ldd names
# (no /opt/swift, no /usr/share, no ICU or time zone files), /proc mounted as on any machine.
if [ "$(id -u)" = 0 ] && command -v chroot > /dev/null; then
    root="$tmp/chroot"
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc"
    cp "$pakn" "$root/bin/pakn"
    for lib in $(ldd "$pakn" | grep -o '/[^ ]*'); do mkdir -p "$root$(dirname "$lib")"; cp -L "$lib" "$root$lib"; done
    grep "^$(id -un):" /etc/passwd > "$root/etc/passwd"
    mount -t proc proc "$root/proc"
    trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$tmp"' EXIT
    echo "== in a chroot with only: $(cd "$root" && find . -type f ! -path './proc/*' | sort | tr '\n' ' ')"
    chroot "$root" /bin/pakn --version
    chroot "$root" /bin/pakn --db /tmp/c.sqlite --lang en demo --cases 30
    chroot "$root" /bin/pakn --db /tmp/c.sqlite --lang vi --as vanthu.hoankiem list --limit 2
    umount "$root/proc"
fi
echo "== man pages"
MANPATH="$tmp/prefix/share/man" man -L vi -w pakn
MANPATH="$tmp/prefix/share/man" man -L en -w pakn
echo "== installed files"
(cd "$tmp/prefix" && find . -type f | sort)
ls -l "$pakn"
echo "install-check: ok"
