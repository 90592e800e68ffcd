# Sourced by ./syft, ./mvnw and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is new enough, then the JDK cached by the last lookup (while its java
# exists), then the newest JDK under /usr/lib/jvm (and the macOS JavaVirtualMachines folder), then
# `java` on the PATH. Fails with a clear message if none fits.
# The version is read from the JDK's `release` file (no JVM started); only a JDK without one is asked.
# The chosen JDK is cached in ${XDG_CACHE_HOME:-~/.cache}/syft/jdk (delete it to look again).

syft_jdk_cache_file() {
  echo "${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/syft/jdk"
}

syft_jdk_major() {
  # prints the feature version of the JDK at $1 (e.g. 21), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local v=""
  if [ -f "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
    [ "$v" = "1" ] && v="" # 1.8-style numbering: older than 21 anyway, but ask the JVM
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$v"
}

syft_find_jdk() {
  local candidate major best="" best_major=0 cache cached
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(syft_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      return 0
    fi
  fi
  cache=$(syft_jdk_cache_file)
  if [ -f "$cache" ]; then
    cached=$(head -n 1 "$cache" 2>/dev/null || true)
    if [ -n "$cached" ]; then
      major=$(syft_jdk_major "$cached")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$cached"
        return 0
      fi
    fi
  fi
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$candidate" ] || continue
    [ -L "$candidate" ] && continue # aliases (java-1.17.0-openjdk-amd64 -> ...) of a folder seen anyway
    major=$(syft_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(syft_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then best="$candidate"; fi
  fi
  if [ -z "$best" ]; then
    echo "syft: no JDK 21 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm/* and the PATH)." >&2
    echo "syft: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and/or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  # best effort: a read-only home just means looking again next time
  { mkdir -p "$(dirname "$cache")" && printf '%s\n' "$best" >"$cache.$$" && mv -f "$cache.$$" "$cache"; } 2>/dev/null || true
}
