#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# failslab.sh for lkmdemo_slab: each allocation of its init fails once
# in turn. A script of its own for the time limit of one selftest.

# shellcheck source=failslab.sh
. "$(dirname "$0")/failslab.sh"
