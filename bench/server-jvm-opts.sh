# Sourced by the benchmark scripts: the server JVM's default options.
# The JVM shares its one core with its JIT compiler threads; give them the lowest priority and
# keep every other JVM thread at the loop's (docs/operations.md). SERVER_JAVA_OPTS=none: no flags.
JIT_BELOW_LOOP="-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=19 -XX:JavaPriority6_To_OSPriority=0 \
-XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0 \
-XX:JavaPriority10_To_OSPriority=0"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-$JIT_BELOW_LOOP}"
# An if, not `[[ ]] &&`: the last status is this file's, and under `set -e` a false one stops the caller.
if [[ "$SERVER_JAVA_OPTS" == none ]]; then
  SERVER_JAVA_OPTS=""
fi
