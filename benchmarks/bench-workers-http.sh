#!/usr/bin/env bash
# bench-workers-http.sh: the http-load thread worker against wrk, on the same HTTP server
#
# Usage: benchmarks/bench-workers-http.sh [BUILD_DIR]   (default: build)
#
# Starts bench-cluster-hello.js as Node's own cluster (a primary and 2 workers)
# on a free port of 127.0.0.1, then loads it in turn with wrk (-t2) and with
# `troupe worker http-load` ("threads": 2), the same threads, connections and
# seconds, with a new connection per request and with keep-alive; the order
# alternates from run to run so that neither always goes first. Prints a
# Markdown table: requests/s, median and best of TROUPE_BENCH_LOAD_REPS runs
# (default 3), and the ratio of the medians against the target (≥ 0.8× wrk).
# Needs node and wrk; the server is stopped at the end, whatever happens.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${1:-build}
case $build_dir in
  /*) ;;
  *) build_dir=$source_root/$build_dir ;;
esac
reps=${TROUPE_BENCH_LOAD_REPS:-3}
seconds=${TROUPE_BENCH_LOAD_SECONDS:-4}
connections=50
threads=2               # as wrk's -t2
troupe=$build_dir/src/troupe

for tool in node wrk; do
  if ! command -v "$tool" >/dev/null; then
    echo "load worker: skipped, $tool not found"
    exit 0
  fi
done
if [[ ! -x $troupe ]]; then
  echo "bench-workers-http: $troupe is missing" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/troupe-bench-load.XXXXXX")
server_pid=""
cleanup () {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=""
for candidate in $(seq 18300 18399); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || { echo "bench-workers-http: found no free port" >&2; exit 1; }

node "$source_root/benchmarks/bench-cluster-hello.js" "$port" >"$work/server.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  [[ $(grep -c '^listening' "$work/server.out" || true) -ge 2 ]] && break
  sleep 0.1
done
[[ $(grep -c '^listening' "$work/server.out" || true) -ge 2 ]] ||
  { echo "bench-workers-http: the server did not start: $(cat "$work/server.out")" >&2; exit 1; }
url=http://127.0.0.1:$port/

declare -A samples
errors=0

run_wrk () {
  local mode=$1 header=() rps
  [[ $mode == close ]] && header=(-H "Connection: close")
  wrk -t "$threads" -c "$connections" -d "${seconds}s" "${header[@]}" "$url" >"$work/wrk.out" 2>&1
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.out")
  errors=$((errors + $(awk '/Socket errors/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                            /Non-2xx/ { n += $NF } END { print n + 0 }' "$work/wrk.out")))
  samples[wrk_$mode]+="$rps "
}

run_troupe () {
  local mode=$1 keep_alive=true done rps data
  [[ $mode == close ]] && keep_alive=false
  data="{\"url\":\"$url\",\"connections\":$connections,\"duration\":$seconds,"
  data+="\"keep_alive\":$keep_alive,\"threads\":$threads}"
  XDG_DATA_HOME=$work/data "$troupe" worker http-load --json --data "$data" \
    >"$work/troupe.out" 2>&1
  done=$(grep '"type":"done"' "$work/troupe.out") ||
    { echo "bench-workers-http: no done message: $(tail -3 "$work/troupe.out")" >&2; exit 1; }
  rps=$(sed -n 's/.*"type":"done"[^}]*"rps":\([0-9.]*\).*/\1/p' <<<"$done")
  errors=$((errors + $(sed -n 's/.*"errors":{\([^}]*\)}.*/\1/p' <<<"$done" |
                       tr ',' '\n' | awk -F: '{ n += $2 } END { print n + 0 }')))
  samples[troupe_$mode]+="$rps "
}

for rep in $(seq "$reps"); do
  for mode in close keepalive; do
    if (( rep % 2 )); then
      run_wrk "$mode"; run_troupe "$mode"
    else
      run_troupe "$mode"; run_wrk "$mode"
    fi
  done
done

median () {
  tr ' ' '\n' <<<"${samples[$1]}" | grep . | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]
          else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
best () {
  tr ' ' '\n' <<<"${samples[$1]}" | grep . | sort -g | tail -n 1
}
cell () {
  printf '%.0f (best %.0f)' "$(median "$1")" "$(best "$1")"
}
ratio_cell () {
  awk -v a="$(median "troupe_$1")" -v b="$(median "wrk_$1")" \
    'BEGIN { r = a / b; v = (r >= 0.8) ? "met" : "MISSED"; printf "%.2f (≥ 0.8: %s)", r, v }'
}

echo "| load worker vs wrk: HTTP hello world, Node cluster of 2 workers, -c$connections" \
     "${seconds} s ($reps runs) | troupe worker http-load ($threads threads) | wrk -t$threads |" \
     "worker/wrk (target) |"
echo "| --- | --- | --- | --- |"
echo "| new connection per request, requests/s | $(cell troupe_close) | $(cell wrk_close) |" \
     "$(ratio_cell close) |"
echo "| keep-alive, requests/s | $(cell troupe_keepalive) | $(cell wrk_keepalive) |" \
     "$(ratio_cell keepalive) |"
echo
echo "socket errors and non-2xx answers, both tools, all runs: $errors"
