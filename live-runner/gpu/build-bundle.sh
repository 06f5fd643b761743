#!/usr/bin/env bash
# Builds what the GPU check carries to a machine without Java or network (run here, where Maven is):
#   live-runner/gpu/bundle.tar.xz = a jlink-trimmed Java 17 runtime + the live runner's jars (ONNX Runtime
#   trimmed to its linux-x64 natives, no test jars, no PyTorch natives for DJL) + the Silero VAD and PaddleOCR cls/det models when model-store/ has them. Must stay under ~62 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
mvn -B -q -o install -pl live-runner -am -DskipTests
mvn -B -q -o -pl live-runner dependency:build-classpath -Dmdep.outputFile=target/gpu-cp.txt -Dmdep.includeScope=runtime >/dev/null
b="$here/bundle"
rm -rf "$b" "$here/bundle.tar.xz"
mkdir -p "$b/lib" "$b/models"
jlink --add-modules java.base,java.logging,java.management,jdk.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$b/jre"
cp live-runner/target/prescale-live-runner-*.jar "$b/lib/"
tr ':' '\n' < live-runner/target/gpu-cp.txt | while read -r jar; do
  case "$(basename "$jar")" in
    onnxruntime-*.jar)  # keep the linux-x64 natives only (the jar carries five platforms)
      t=$(mktemp -d); (cd "$t" && unzip -q "$jar" && rm -rf ai/onnxruntime/native/{linux-aarch64,osx-aarch64,osx-x64,win-x64} && zip -q -r "$b/lib/$(basename "$jar")" .); rm -rf "$t" ;;
    # test jars, and DJL's 111 MB PyTorch natives (only the lstm forecaster loads them; the checks do not)
    pytorch-native-*.jar|assertj-*.jar|byte-buddy-*.jar|junit-*.jar|jmh-*.jar|opentest4j-*.jar|apiguardian-*.jar) ;;
    *) cp "$jar" "$b/lib/" ;;
  esac
done
[[ -f model-store/silero-vad/silero_vad.onnx ]] && cp model-store/silero-vad/silero_vad.onnx "$b/models/"
[[ -f model-store/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx ]] && cp model-store/paddleocr/ch_ppocr_mobile_v2.0_cls_infer.onnx "$b/models/"
# the text detector too (4.7 MB); the recogniser (10.8 MB) would take the bundle past what a call carries
[[ -f model-store/paddleocr/ch_PP-OCRv4_det_infer.onnx ]] && cp model-store/paddleocr/ch_PP-OCRv4_det_infer.onnx "$b/models/"
"$b/jre/bin/java" -cp "$b/lib/*" io.prescale.live.cli.ServeCommand --help >/dev/null
(cd "$here" && tar -cJf bundle.tar.xz bundle)
rm -rf "$b"
ls -la "$here/bundle.tar.xz"
size=$(stat -c %s "$here/bundle.tar.xz")
((size < 62 * 1024 * 1024)) || { echo "bundle.tar.xz is $((size >> 20)) MiB: a call carries 64 MiB in all; drop a model" >&2; exit 1; }
