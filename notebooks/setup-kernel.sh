#!/usr/bin/env bash
# Installs what the notebooks need, once (safe to rerun):
#   1. the Debian Jupyter packages (sudo only when not root),
#   2. the Java kernel jar (rapaio-jupyter-kernel, MIT) from Maven Central into notebooks/.kernel/,
#   3. a small launcher for it (kernel/PrescaleKernel.java), compiled here,
#   4. its kernel spec in a project-local Jupyter path: notebooks/.kernel/jupyter/kernels/java/kernel.json.
# './prescale notebook' runs this when something is missing; CI runs it before executing the notebooks.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KDIR="$HERE/.kernel"
VERSION=3.0.1
JAR="$KDIR/rapaio-jupyter-kernel-$VERSION.jar"
SPEC="$KDIR/jupyter/kernels/java/kernel.json"

# 1. Jupyter: notebook server, headless execution (nbconvert + nbclient), the Python kernel machinery.
if ! { jupyter notebook --version && jupyter nbconvert --version; } >/dev/null 2>&1; then
  command -v apt-get >/dev/null || { echo "setup-kernel: install Jupyter (notebook, nbconvert, nbclient, ipykernel) first" >&2; exit 1; }
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup-kernel: installing the Debian Jupyter packages ..." >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel >/dev/null
fi

# 2. The kernel: one shaded jar (Java 17), fetched with Maven like every other dependency.
if [[ ! -s $JAR ]]; then
  echo "setup-kernel: fetching io.github.padreati:rapaio-jupyter-kernel:$VERSION ..." >&2
  mkdir -p "$KDIR"
  (cd "$KDIR" && mvn -B -q dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$VERSION" -DoutputDirectory="$KDIR")
fi

# 3. Our launcher for it (kernel/PrescaleKernel.java: works around a start-up race of the kernel).
mkdir -p "$KDIR/launcher"
if [[ ! -f $KDIR/launcher/PrescaleKernel.class || $HERE/kernel/PrescaleKernel.java -nt $KDIR/launcher/PrescaleKernel.class ]]; then
  javac -nowarn --release 17 -cp "$JAR" -d "$KDIR/launcher" "$HERE/kernel/PrescaleKernel.java"
fi

# 4. The kernel spec (rewritten each time: the checkout may have moved). RJK_CLASSPATH stays empty: each
#    notebook's first cell adds the project's jars with %jar (jar lists in RJK_CLASSPATH do not work).
mkdir -p "$(dirname "$SPEC")" "$KDIR/mima_cache"
cat >"$SPEC" <<JSON
{
  "argv": ["java", "-Djava.awt.headless=true", "-cp", "$JAR:$KDIR/launcher", "PrescaleKernel", "{connection_file}"],
  "display_name": "Java (Prescale)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {"RJK_CLASSPATH": "", "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1",
          "RJK_MIMA_CACHE": "$KDIR/mima_cache"}
}
JSON
echo "setup-kernel: kernel spec $SPEC" >&2
