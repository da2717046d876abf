"""`python -m benchmarks` (with tests/ on PYTHONPATH, as scripts/bench runs it)."""

import sys

from benchmarks.cli import main

sys.exit(main())
