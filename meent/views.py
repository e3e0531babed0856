from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def permission_denied(request, exception):
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors that could fail again: a plain, self-contained page.
    return render(request, "500.html", status=500)


def bench_ceiling(request):
    """The lightest page Django can serve through our stack: the ceiling for `make bench`."""
    return render(request, "bench/ceiling.html")
