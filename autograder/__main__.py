"""``python -m autograder grade ASSIGNMENT [--course course] [--jobs N] [--csv FILE]``."""

from __future__ import annotations

import sys

USAGE = "usage: python -m autograder grade ASSIGNMENT [--course DIR] [--jobs N] [--csv FILE]"


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "grade":
        print(USAGE, file=sys.stderr)
        return 2
    from .grading.classgrade import main as grade_main

    return grade_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
