"""`python -m labkit`: see labkit.cli. A closed or full standard output (`| head`, /dev/full) is exit 1."""
import os
import sys

from .cli import main

try:
    code = main()
    sys.stdout.flush()  # here rather than at exit, where a failure would print a traceback-like report
except OSError as error:  # the run's files are written; only the report could not be
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush cannot fail
    print(f"error: cannot write to standard output: {error.strerror}", file=sys.stderr)
    code = 1
sys.exit(code)
