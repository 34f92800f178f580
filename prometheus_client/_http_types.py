"""The shapes HTTP data takes here, shared by the serving side and the Pushgateway client.

Only type aliases: importing this module costs nothing and pulls in no HTTP machinery.
"""

from __future__ import annotations

from typing import List, Tuple

# Header (name, value) pairs in the order they are sent; a name may repeat.
Headers = List[Tuple[str, str]]
# An answer as WSGI spells it: ("200 OK", headers, body).
Response = Tuple[str, Headers, bytes]
