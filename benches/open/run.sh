#!/usr/bin/env bash
# Opening a big case as a whole process (issue 17, item 2): for each size, generates a case
# with `caseboard generate`, starts the real window on it under Xvfb and reads the app's own
# `caseboard::timing` line — seconds from the process's start to the first presented frame
# that draws the case, and resident memory then — plus resident memory once the layout has
# settled (the process's CPU time flat for two seconds) and the peak (VmHWM). Sizes below
# 10,000 nodes give the window's own share (the README's baseline). Release build; needs
# xvfb-run.
#
#   bash benches/open/run.sh [SIZES...]      (default: 100000 300000)
#
# Set CARGO_TARGET_DIR as for any build. Writes target/bench/open.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 300000)
runs="${OPEN_RUNS:-3}"
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked --quiet
bin="$target/release/caseboard"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p target/bench
out=target/bench/open.json
echo "[" > "$out"
first=1
for n in "${sizes[@]}"; do
  case_file="$work/case-$n.ron"
  "$bin" generate --nodes "$n" -o "$case_file" > /dev/null
  for run in $(seq 1 "$runs"); do
    log="$work/log-$n-$run.txt"
    # A fresh home: no settings, recent files or recovery files of the user's.
    home="$work/home-$n-$run"
    mkdir -p "$home"
    HOME="$home" XDG_CONFIG_HOME="$home/.config" CASEBOARD_LOG="caseboard::timing=info,warn" \
      xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" "$bin" "$case_file" \
      > /dev/null 2> "$log" &
    wrapper=$!
    line=""
    for _ in $(seq 1 1200); do
      line="$(grep -m1 'case shown' "$log" || true)"
      [ -n "$line" ] && break
      sleep 0.1
    done
    pid="$(pgrep -n -f "^$bin $case_file" || true)"
    settled_kib=""
    settled_secs=""
    peak_kib=""
    if [ -n "$pid" ]; then
      # Settled: the process's CPU time stays flat for two seconds (the layout has stopped),
      # at most OPEN_SETTLE_MAX_SECS after the first frame.
      last_ticks=-1
      flat=0
      for step in $(seq 1 $((2 * ${OPEN_SETTLE_MAX_SECS:-60}))); do
        sleep 0.5
        ticks="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo -1)"
        if [ "$ticks" -ge 0 ] && [ $((ticks - last_ticks)) -le 2 ]; then
          flat=$((flat + 1))
        else
          flat=0
        fi
        last_ticks="$ticks"
        settled_secs="$(awk -v s="$step" 'BEGIN {printf "%.1f", s / 2}')"
        [ "$flat" -ge 4 ] && break
      done
      settled_kib="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
      peak_kib="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
      kill "$pid" 2>/dev/null || true
    fi
    wait "$wrapper" 2>/dev/null || true
    if [ -z "$line" ]; then
      echo "caseboard did not show the $n-node case within 120 s; its log:" >&2
      cat "$log" >&2
      exit 1
    fi
    secs="$(sed -E 's/.*; ([0-9.]+) s after the process started.*/\1/' <<<"$line")"
    job="$(sed -E 's/.*; job ([0-9.]+) s;.*/\1/' <<<"$line")"
    frame="$(sed -E 's/.*applied to presented ([0-9.]+) s;.*/\1/' <<<"$line")"
    shown_kib="$(sed -E 's/.*resident ([0-9]+) KiB.*/\1/' <<<"$line")"
    printf '%s nodes, run %s: first frame %s s after start (open job %s s, applied to presented %s s); resident %s KiB then (%s B/node), %s KiB settled (%s s later), peak %s KiB\n' \
      "$n" "$run" "$secs" "$job" "$frame" "$shown_kib" "$((shown_kib * 1024 / n))" \
      "${settled_kib:-?}" "${settled_secs:-?}" "${peak_kib:-?}"
    [ $first -eq 1 ] || echo "," >> "$out"
    first=0
    printf '{"nodes":%s,"run":%s,"first_frame_secs":%s,"open_job_secs":%s,"applied_to_presented_secs":%s,"resident_kib_at_first_frame":%s,"resident_kib_settled":%s,"settled_after_secs":%s,"peak_kib":%s}\n' \
      "$n" "$run" "$secs" "$job" "$frame" "$shown_kib" "${settled_kib:-null}" "${settled_secs:-null}" "${peak_kib:-null}" >> "$out"
  done
done
echo "]" >> "$out"
echo "wrote $out"
