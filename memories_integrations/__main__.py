"""``python -m memories_integrations``: the ``memories`` command line."""

import sys

from memories_integrations.cli import main

if __name__ == "__main__":
    sys.exit(main())
