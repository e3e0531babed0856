from django_tasks import task


@task()
def drain_outbox_task():
    from .indexing import drain_outbox

    return drain_outbox()
