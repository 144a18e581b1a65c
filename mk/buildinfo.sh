#!/bin/sh
# Writes Sources/CPaknBuild/build_commit.h with the checkout's commit (`git describe
# --always --dirty`), for `pakn --version`; "unknown" outside a git checkout. The file is
# rewritten, and build.c touched so it is compiled again, only when the commit changed.
set -eu
cd "$(dirname "$0")/.."
out=Sources/CPaknBuild/build_commit.h
commit=$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
# Only characters that need no escaping in a C string.
commit=$(printf '%s' "$commit" | tr -cd 'A-Za-z0-9._+-')
[ -n "$commit" ] || commit=unknown
line="#define PAKN_BUILD_COMMIT \"$commit\""
if [ ! -f "$out" ] || [ "$(cat "$out")" != "$line" ]; then
    printf '%s\n' "$line" > "$out"
    touch Sources/CPaknBuild/build.c
    echo "buildinfo: $commit"
fi
