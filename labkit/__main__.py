"""`python -m labkit`: see labkit.cli (train) and labkit.grade (grade)."""
import sys

if sys.argv[1:2] == ["grade"]:
    from .grade import main
    sys.exit(main(sys.argv[2:]))

from .cli import main  # noqa: E402

sys.exit(main())
