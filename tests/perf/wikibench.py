"""The wiki's save path, measured in this process through Django's test client.

Each save is a real POST of the edit form (CSRF off, as the test client does): form validation,
cleaning the HTML, the row lock, the new revision, the watchers' notifications. Saves are
sequential on one page, each based on the revision before, so none is a conflict; the text grows
a little each time, like an edited page. Reported: saves per second, p50/p99 latency and the SQL
queries of one save. `count_queries` (tests/perf/queries.py) must have set Django up first.
"""

import statistics
import time

SAVES = 200


def measure_saves(group_slug, page_path, member_email, saves=SAVES):
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from wiki.models import WikiPage

    member = User.objects.get(email=member_email)
    page = WikiPage.objects.get(group__slug=group_slug, path=page_path)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    url = reverse("wiki:edit", args=[group_slug, page.pk])
    paragraph = (
        "<p>Wij publiceren de broncode onder de <strong>EUPL-1.2</strong>, met een README, "
        "een <a href='https://example.org/publiccode'>publiccode.yml</a> en uitleg voor wie "
        "wil bijdragen.</p>"
    )
    body = page.body
    durations = []
    queries = None
    try:
        for number in range(saves):
            body += paragraph.replace("bijdragen", f"bijdragen ({number})")
            data = {
                "title": page.title,
                "body": body,
                "summary": f"Bench {number}",
                "base_revision": page.revision_number + number,
            }
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url, data)
                durations.append(time.perf_counter() - started)
            if response.status_code != 302:
                raise RuntimeError(f"save {number} answered {response.status_code}")
            queries = len(captured.captured_queries)
    finally:
        connections.close_all()
    durations.sort()
    return {
        "saves": saves,
        "saves_per_second": round(saves / sum(durations), 1),
        "p50_ms": round(statistics.median(durations) * 1000, 1),
        "p99_ms": round(durations[min(len(durations) - 1, int(len(durations) * 0.99))] * 1000, 1),
        "queries_per_save": queries,
        "final_body_chars": len(body),
        "how": "sequential POSTs of the edit form in this process (Django test client), SQLite",
    }
