#!/bin/sh
# Times pakn from start to its first screen, from outside, in a real terminal (tmux):
# `pakn bench-screen` opens the desk exactly as `pakn` does (database, acting official,
# reference data, first page, counts, ncurses) draws the first frame and exits.
#   scripts/first-screen.sh DB [RUNS] [LOGIN]
# Prints each run in ms, then the median. See docs/performance.md.
set -eu
DB=$1; RUNS=${2:-10}; LOGIN=${3:-lanhdao.hanoi}
PAKN=${PAKN:-$(pwd)/.build/release/pakn}
OUT=$(mktemp)
SOCK=pakn-first-screen-$$
for i in $(seq "$RUNS"); do
  tmux -L "$SOCK" new-session -d -x 160 -y 48 \
    "s=\$(date +%s%N); LANG=C.UTF-8 '$PAKN' --db '$DB' --as '$LOGIN' --now 2026-11-23T09:00:00+07:00 bench-screen; e=\$(date +%s%N); echo \$(( (e - s) / 1000000 )) >> '$OUT'"
  while tmux -L "$SOCK" has-session 2>/dev/null; do sleep 0.1; done
done
tmux -L "$SOCK" kill-server 2>/dev/null || true
sort -n "$OUT" | tr '\n' ' '; echo
echo "median: $(sort -n "$OUT" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms"
rm -f "$OUT"
