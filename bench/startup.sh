#!/usr/bin/env bash
# Startup bench: median wall and CPU (user+sys) times of `syft --version` and `syft status` through the
# ./syft launcher, next to a bare `java -version` of the same JDK, over N runs each. Figures only;
# nothing is asserted. The launcher runs without JAVA_HOME set. On a loaded machine the wall times grow with the load; CPU times much less.
# Usage: bench/startup.sh [N]   (default 7; builds the jar first if needed; run twice on JDK 25+, the
# first call trains the AOT cache in the background)
set -euo pipefail
N=${1:-7}
REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)
. "$REPO/.mvn/find-jdk.sh"
syft_find_jdk
"$REPO/syft" --version >/dev/null # builds the jar when needed
HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/syft-bench.XXXXXX")
trap 'rm -rf "$HOME_DIR"' EXIT
export SYFT_SKIP_BUILD=1
"$REPO/syft" init --offline --email bench@example.com --transport "local:$HOME_DIR/shared" \
  --home "$HOME_DIR/home" >/dev/null

# prints "wall_ms cpu_ms", the medians of N runs of the given command
measure() {
  local i walls=() cpus=() t
  local TIMEFORMAT='%R %U %S'
  for ((i = 0; i < N; i++)); do
    t=$({ time "$@" >/dev/null 2>&1; } 2>&1 || true)
    read -r r u s <<<"$t"
    walls+=("$(awk -v r="$r" 'BEGIN { printf "%d", r * 1000 }')")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }')")
  done
  local mid=$(((N + 1) / 2))
  echo "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "${mid}p") $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "${mid}p")"
}

read -r jw jc <<<"$(measure "$JAVA_HOME/bin/java" -version)"
# the launcher as a user without JAVA_HOME runs it (it finds the JDK itself)
read -r vw vc <<<"$(measure env -u JAVA_HOME "$REPO/syft" --version)"
read -r sw sc <<<"$(measure env -u JAVA_HOME "$REPO/syft" status --home "$HOME_DIR/home")"
echo "median of $N runs on $(nproc) core(s), load $(cut -d' ' -f1 /proc/loadavg), JDK $JAVA_HOME"
printf '%-16s %8s %8s %8s\n' "" "wall ms" "cpu ms" "x java"
printf '%-16s %8s %8s %8s\n' "java -version" "$jw" "$jc" "1.0"
printf '%-16s %8s %8s %8s\n' "syft --version" "$vw" "$vc" "$(awk -v a="$vw" -v b="$jw" 'BEGIN { printf "%.1f", a / b }')"
printf '%-16s %8s %8s %8s\n' "syft status" "$sw" "$sc" "$(awk -v a="$sw" -v b="$jw" 'BEGIN { printf "%.1f", a / b }')"
