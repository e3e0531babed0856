"""The configured search backend, and the fallback to the database while a search server is
down. Everything outside ``search/`` asks ``get_search_backend()`` (or ``with_fallback``) and
never names a backend class: the interface is ``base.SearchBackend``."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings

from .base import (
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    SNIPPET_LENGTH,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    check,
    snippet,
)
from .database import RANKED_CANDIDATES, DatabaseBackend
from .elasticsearch import ElasticsearchBackend

__all__ = [
    "MAX_PER_PAGE",
    "MAX_QUERY_LENGTH",
    "RANKED_CANDIDATES",
    "SNIPPET_LENGTH",
    "DatabaseBackend",
    "ElasticsearchBackend",
    "Hit",
    "SearchBackend",
    "SearchQuery",
    "SearchResults",
    "check",
    "database_mirror",
    "get_search_backend",
    "snippet",
    "with_fallback",
]

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _configured_backend(url, prefix):
    if url:
        return ElasticsearchBackend(url, prefix)
    return DatabaseBackend()


def get_search_backend():
    return _configured_backend(settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_PREFIX)


def database_mirror():
    """The database backend when it is kept beside a search server (SEARCH_DATABASE_MIRROR),
    as the fallback while that server is down; None otherwise."""
    if settings.ELASTICSEARCH_URL and getattr(settings, "SEARCH_DATABASE_MIRROR", True):
        return DatabaseBackend()
    return None


def _unreachable(backend, error) -> bool:
    """Whether ``error`` means the search server cannot answer now (down, timing out, 5xx),
    rather than a mistake of ours, which must still surface."""
    if isinstance(backend, DatabaseBackend):
        return False  # the database being down is meent/reliability.py's 503
    from elastic_transport import TransportError
    from elasticsearch import ApiError

    if isinstance(error, TransportError):  # connection refused or lost, timeout
        return True
    return isinstance(error, ApiError) and (error.status == 429 or error.status >= 500)


def with_fallback(operation):
    """``(operation(backend), limited)``: the configured backend's answer, or, when the search
    server is unreachable, the database backend's with ``limited`` set, so that the page still
    answers and can say that search is limited for now. The database index is kept beside the
    search server (``database_mirror``), so it holds what is new too."""
    backend = get_search_backend()
    try:
        return operation(backend), False
    except Exception as error:
        if not _unreachable(backend, error):
            raise
        logger.warning("Search server unreachable, using the database: %s", error)
        return operation(DatabaseBackend()), True
