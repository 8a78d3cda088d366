# Shared by bench/*/run: builds core + the bench module and prints the runtime classpath of the bench programs.
# Usage (after setting root to the repository root):  cp="$(bench_classpath NAME)" || exit 1
bench_classpath() {
  local name="$1" log cpfile
  log="${TMPDIR:-/tmp}/opsagent-bench-$name-build.log"
  cpfile="$root/bench/target/classpath.txt"
  if ! (cd "$root" && mvn -q -B -ntp package dependency:build-classpath -pl bench -am -DskipTests \
        -Dmdep.includeScope=runtime -Dmdep.outputFile="$cpfile") >"$log" 2>&1; then
    echo "bench/$name: build failed; see $log" >&2
    tail -20 "$log" >&2
    return 1
  fi
  echo "$root/bench/target/classes:$(cat "$cpfile")"
}

# Fails with a clear message when ../shared (evaluation data kept beside the checkout) is missing.
bench_shared() {
  local name="$1" dir="$root/../shared/$2"
  if [ ! -d "$dir" ]; then
    echo "bench/$name: data not found at $dir (expected ../shared/$2 next to the repository)" >&2
    return 2
  fi
  (cd "$dir" && pwd)
}
