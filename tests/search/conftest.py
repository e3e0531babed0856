import os
import uuid

import pytest

from search.backends import DatabaseBackend
from search.indexing import drain_outbox
from search.models import OutboxItem

# Every backend answers the same contract (test_contract.py). The Elasticsearch run exists only
# when ELASTICSEARCH_URL is set (README: "Search on Elasticsearch"): without it the parameter is
# not generated at all, so CI=true does not fail for a server that is simply not configured.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
BACKENDS = ["database", *(["elasticsearch"] if ELASTICSEARCH_URL else [])]


@pytest.fixture(autouse=True)
def _database_backend_by_default(settings):
    """The search tests other than the contract use the database backend (some patch it), also
    when ELASTICSEARCH_URL is set for the contract run."""
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture(params=BACKENDS)
def backend(request, db):
    if request.param == "database":
        backend = DatabaseBackend()
    else:
        from search.backends.elasticsearch import ElasticsearchBackend

        # Own indices per test (a unique prefix), searchable as soon as a write returns.
        prefix = f"meent-test-{uuid.uuid4().hex[:12]}"
        backend = ElasticsearchBackend(ELASTICSEARCH_URL, prefix, refresh=True)
        try:
            backend.ping()
        except Exception as error:  # noqa: BLE001 - say what is wrong, once per test
            pytest.fail(
                f"ELASTICSEARCH_URL={ELASTICSEARCH_URL} is set but does not answer: {error}"
            )
    backend.clear()
    yield backend
    backend.clear()
    if request.param == "elasticsearch":
        backend.drop_indices()


@pytest.fixture
def drain(db):
    """Index what the outbox holds, as the task does after a commit."""

    def run():
        drain_outbox()
        assert OutboxItem.objects.count() == 0

    return run
