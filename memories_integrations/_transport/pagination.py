"""When an auto-paginating iterator (``iter_sessions``, ``iter_transcript_search``) stops."""

from __future__ import annotations


def more_pages(
    *,
    page: int,
    got: int,
    seen: int,
    page_size: int,
    total_count: int,
    total_pages: int | None,
) -> bool:
    """Whether to ask for page ``page + 1`` after page ``page`` returned ``got`` items.

    The list pages give ``total_pages`` (list_sessions) or ``total_count``; either ends the walk.
    Without them, a short page is the last. An empty page always is, so a server that ignores
    ``page`` cannot loop forever without returning items.
    """
    if got == 0:
        return False
    if total_pages:
        return page < total_pages
    if total_count:
        return seen < total_count
    return got >= page_size
