"""`python -m smschannel.docs` (`make docs`); `--check` writes nothing."""

from __future__ import annotations

import sys

from smschannel.docs._cli import main

if __name__ == "__main__":
    sys.exit(main())
