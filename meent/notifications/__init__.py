"""Notifications: what happened that a person should know about, in the app and by e-mail.

The public interface, for every other app::

    from meent.notifications import Kind, notify

    notify(recipient, Kind.JOIN_REQUEST, text, url, about=group, actor=person)

Both names are loaded on first use, so importing this package while Django loads its apps is safe.
"""

__all__ = ["Kind", "notify"]


def __getattr__(name):
    if name == "notify":
        from .service import notify as value
    elif name == "Kind":
        from .models import Kind as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
