#!/usr/bin/env bash
# Clears outputs and execution counts of the notebooks (all of notebooks/*.ipynb, or the files given) in place,
# before a commit: CI (app's NotebookCommandTest) fails when a committed notebook carries outputs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
(($#)) || set -- *.ipynb
jupyter nbconvert --clear-output --inplace --log-level=WARN "$@"
