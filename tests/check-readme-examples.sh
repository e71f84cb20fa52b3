#!/bin/sh
# check-readme-examples.sh: README shows the fork examples exactly as tested
#
# The examples in examples/fork/ are run by test-channel; README quotes them.
# This fails when the two drift apart.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

source_root=${1:?usage: check-readme-examples.sh SOURCE_ROOT}
status=0
for example in "$source_root"/examples/fork/*; do
  if ! python3 - "$source_root/README.md" "$example" <<'PY'
import sys
readme = open(sys.argv[1], encoding="utf-8").read()
example = open(sys.argv[2], encoding="utf-8").read()
sys.exit(0 if example in readme else 1)
PY
  then
    echo "README.md does not show $example as it is" >&2
    status=1
  fi
done
exit $status
