import pytest

from search.backends import DatabaseBackend
from search.indexing import drain_outbox
from search.models import OutboxItem


# Every backend answers the same contract. TODO(issue 7, Elasticsearch): add an
# "elasticsearch" param here, skipped (require_service) unless ELASTICSEARCH_URL is set.
@pytest.fixture(params=["database"])
def backend(request, db):
    if request.param == "database":
        backend = DatabaseBackend()
    backend.clear()
    yield backend
    backend.clear()


@pytest.fixture
def drain(db):
    """Index what the outbox holds, as the task does after a commit."""

    def run():
        drain_outbox()
        assert OutboxItem.objects.count() == 0

    return run
