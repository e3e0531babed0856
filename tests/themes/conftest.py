import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are checked in English (the msgids) outside requests; Dutch is the default."""
    with translation.override("en"):
        yield
