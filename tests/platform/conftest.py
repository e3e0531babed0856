# The demo loaded once per module: shared with tests/search (tests/demo.py).
from tests.demo import DEMO_PASSWORD, demo_once  # noqa: F401
