"""Following a vendor's "next page" link without ever leaving the configured base URL."""

from __future__ import annotations

import httpx


def join_next(base_url: str, *, link: str) -> str:
    """The absolute URL of a next-page `link`, on `base_url`'s scheme and host.

    Vendors give the next page relative to their API root (Twilio's `next_page_uri`) or as an
    absolute URL (Twilio Messaging's `meta.next_page_url`). Only the link's path and query are
    kept, so credentials are never sent to a host the client was not configured for. When
    `base_url` has a path prefix (a proxy), a link that already starts with it is not prefixed twice.
    """
    base = httpx.URL(base_url)
    path = httpx.URL(link).raw_path.decode("ascii")  # path and query, still percent-encoded
    prefix = base.raw_path.decode("ascii").split("?", 1)[0].rstrip("/")
    if prefix and not (path == prefix or path.startswith(prefix + "/")):
        path = prefix + path
    return str(base.copy_with(raw_path=path.encode("ascii")))
