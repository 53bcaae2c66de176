#!/bin/sh
# Builds the codec libFuzzer binary outside SwiftPM and runs it.
#   Tests/Fuzz/run.sh [seconds] [extra libFuzzer flags...]
# Needs a Swift toolchain whose swiftc supports -sanitize=fuzzer (the Linux toolchains do).
# Crashes are written to .build/fuzz/artifacts/; the working corpus grows in .build/fuzz/corpus/
# (seeded from Tests/Fuzz/corpus/, which stays small and under version control).
set -eu
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
[ $# -gt 0 ] && shift
out=.build/fuzz
mkdir -p "$out/corpus" "$out/artifacts"
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name SluiceCodecFuzz \
    Sources/SluiceHTTP/Codec/*.swift Tests/Fuzz/RequestParserFuzz.swift \
    -o "$out/codec-fuzz" 2>&1 | grep -v 'Cannot export local symbol' || true
cp -n Tests/Fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
exec "$out/codec-fuzz" -max_total_time="$seconds" -max_len=4096 \
    -artifact_prefix="$out/artifacts/" -dict=Tests/Fuzz/http.dict "$@" "$out/corpus"
