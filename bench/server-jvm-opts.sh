# Sourced by the benchmark scripts: the server JVM's default options.
# The JVM shares its one core with its JIT compiler threads and the server's background threads:
# the server puts the optimizing compiler (C2) and its own background threads (history writer...)
# at the lowest priority and leaves C1 at the loop's, as bin/chat-server has it on one CPU
# (docs/operations.md). SERVER_JAVA_OPTS=none: no flags.
BELOW_LOOP="-XX:-UseDynamicNumberOfCompilerThreads -Dchat.jit.c2-nice=19 -Dchat.background-nice=19"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-$BELOW_LOOP}"
# The lean-heap profile of the idle-memory runs: a heap given back after a collection down to 10 %
# above the live data, and pre-touched when it grows, so that RSS follows the live heap.
IDLE_LEAN_HEAP_OPTS="${IDLE_LEAN_HEAP_OPTS:--XX:+UseSerialGC -Xms16m -Xmn8m -XX:MinHeapFreeRatio=10 \
-XX:MaxHeapFreeRatio=10 -XX:-ShrinkHeapInSteps -XX:MarkSweepDeadRatio=0 -XX:+AlwaysPreTouch}"
# An if, not `[[ ]] &&`: the last status is this file's, and under `set -e` a false one stops the caller.
if [[ "$SERVER_JAVA_OPTS" == none ]]; then
  SERVER_JAVA_OPTS=""
fi
