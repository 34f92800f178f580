"""``python -m prometheus_client check FILE|-|URL``: see :mod:`prometheus_client._check`."""

import sys

from ._check import main

if __name__ == "__main__":
    sys.exit(main())
