"""`python -m labkit`: see labkit.cli (train) and labkit.grade (grade).

A closed or full standard output (`| head`, /dev/full) is exit 1, not a traceback.
"""
import os
import sys

if sys.argv[1:2] == ["grade"]:
    from .grade import main as grade_main
    sys.exit(grade_main(sys.argv[2:]))

from .cli import main  # noqa: E402

try:
    code = main()
    sys.stdout.flush()  # here rather than at exit, where a failure would print a traceback-like report
except OSError as error:  # the run's files are written; only the report could not be
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush cannot fail
    print(f"error: cannot write to standard output: {error.strerror}", file=sys.stderr)
    code = 1
sys.exit(code)
