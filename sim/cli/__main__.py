"""Lets `python -m sim.cli ...` run the same command as the `community-sim` script (the tests
use it to run the command in a fresh interpreter)."""

import sys

from . import main

sys.exit(main())
