# Sourced by the benchmark scripts: the server JVM's default options.
# The JVM shares its one core with its JIT compiler threads; give them the lowest priority and
# keep every other JVM thread at the loop's (docs/operations.md). SERVER_JAVA_OPTS=none: no flags.
JIT_BELOW_LOOP="-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=19 -XX:JavaPriority6_To_OSPriority=0 \
-XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0 \
-XX:JavaPriority10_To_OSPriority=0"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-$JIT_BELOW_LOOP}"
# The lean-heap profile of the idle-memory runs: a heap given back after a collection down to 10 %
# above the live data, and pre-touched when it grows, so that RSS follows the live heap.
IDLE_LEAN_HEAP_OPTS="${IDLE_LEAN_HEAP_OPTS:--XX:+UseSerialGC -Xms16m -Xmn8m -XX:MinHeapFreeRatio=5 \
-XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps -XX:MarkSweepDeadRatio=0 -XX:+AlwaysPreTouch}"
# An if, not `[[ ]] &&`: the last status is this file's, and under `set -e` a false one stops the caller.
if [[ "$SERVER_JAVA_OPTS" == none ]]; then
  SERVER_JAVA_OPTS=""
fi
