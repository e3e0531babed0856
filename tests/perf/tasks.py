"""Tasks of the benchmark only (tests/perf/workerbench.py), never the product's."""

from django_tasks import task


@task()
def noop():
    """Nothing: what the worker costs per task on its own (claim, run, mark done)."""
    return None
