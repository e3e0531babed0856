"""SQL queries per page, counted in this process through Django's test client.

`count_queries` sets Django up, so the caller must have put the benchmark's environment
(DJANGO_SETTINGS_MODULE, DATABASE_URL, ...) into os.environ first.
"""


class PageError(Exception):
    """A page did not answer 200 to Django's test client."""

    def __init__(self, name, path, who, status):
        super().__init__(f"GET {path} ({who}) answered {status}")
        self.name, self.path, self.who, self.status = name, path, who, status


def count_queries(pages, member_email):
    """For each (name, path): the queries of one warm request, anonymous and signed in.

    Every page is requested once before the counted request, so that per-process caches (content
    types, the Wagtail site, translations) are filled as they are in a server that has been up for
    a while; the first request's count is kept too.
    """
    import django

    django.setup()

    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    member = User.objects.get(email=member_email)
    clients = {
        "anonymous": Client(HTTP_HOST="127.0.0.1"),
        "signed_in": Client(HTTP_HOST="127.0.0.1"),
    }
    clients["signed_in"].force_login(member)

    results = {}
    try:
        for name, path in pages:
            results[name] = {}
            for who, client in clients.items():
                counts = []
                for _ in range(2):
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(path)
                    if response.status_code != 200:
                        raise PageError(name, path, who, response.status_code)
                    counts.append(captured)
                first, warm = counts
                results[name][who] = {
                    "path": path,
                    "queries": len(warm.captured_queries),
                    "first_request_queries": len(first.captured_queries),
                    "sql": [query["sql"] for query in warm.captured_queries],
                }
    finally:
        connections.close_all()
    return results
