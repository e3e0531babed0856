"""The search interface's backend selection. The full interface arrives with the search issue;
the foundation needs to know which backend runs and whether it answers."""

from functools import lru_cache

from django.conf import settings
from django.db import connection


class DatabaseBackend:
    """The embedded default: full-text search inside the database that holds the content."""

    name = "database"

    def ping(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url, index_prefix):
        from elasticsearch import Elasticsearch

        self.index_prefix = index_prefix
        self.client = Elasticsearch(url, request_timeout=3, retry_on_timeout=False, max_retries=0)

    def ping(self):
        info = self.client.info()
        return info["version"]["number"]


@lru_cache(maxsize=1)
def _configured_backend(url, prefix):
    if url:
        return ElasticsearchBackend(url, prefix)
    return DatabaseBackend()


def get_search_backend():
    return _configured_backend(settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_PREFIX)
