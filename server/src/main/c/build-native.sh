#!/usr/bin/env bash
# Compiles the epoll binding (chat_epoll.c) into
#   <native-dir>/linux-<arch>/libchatepoll.so
# where EpollNative's loader looks for it (<arch> is x86_64 or aarch64, as `uname -m` says).
#
# Usage: build-native.sh <java-home> <chat_epoll.c> <native-dir>
#
# The binding is optional: without it the server runs on the JDK's selector. So a machine that
# cannot build it (not Linux, no C compiler, no JNI headers, a failed compile) gets a warning
# and exit status 0, and the Maven build goes on.
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: $0 <java-home> <chat_epoll.c> <native-dir>" >&2
    exit 2
fi
java_home=$1
source_file=$2
native_dir=$3

skip() {
    echo "[WARNING] epoll binding not built: $1; the server will use the JDK's selector instead."
    exit 0
}

[[ $(uname -s) == Linux ]] || skip "not Linux ($(uname -s))"

arch=$(uname -m)
case $arch in
    x86_64 | aarch64) ;;
    *) skip "unsupported architecture $arch" ;;
esac

compiler=
for candidate in gcc cc; do
    if command -v "$candidate" >/dev/null 2>&1; then
        compiler=$candidate
        break
    fi
done
[[ -n $compiler ]] || skip "no C compiler (gcc or cc) on the PATH"

[[ -f $java_home/include/jni.h ]] || skip "no JNI headers in $java_home/include"

output=$native_dir/linux-$arch/libchatepoll.so
if [[ $output -nt $source_file ]]; then
    exit 0 # up to date
fi

mkdir -p "$(dirname "$output")"
# Compile beside the target and rename, so a failed compile never leaves a half-written library;
# a stale one is removed, as its natives may no longer match the Java class.
rm -f "$output"
partial=$output.partial
if ! "$compiler" -std=gnu11 -O2 -fPIC -shared -Wall -Wextra -Werror \
        -I"$java_home/include" -I"$java_home/include/linux" \
        -o "$partial" "$source_file"; then
    rm -f "$partial"
    skip "$compiler failed on $source_file"
fi
mv "$partial" "$output"
echo "[INFO] epoll binding built: $output"
