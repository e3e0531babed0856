"""Notifications: what happened that a person should know about, in the app and by e-mail.

The public interface, for every other app::

    from notifications import Kind, notify

    notify(
        recipient, Kind.JOIN_REQUEST, "groups.join_request", url,
        params={"person": person.display_name, "group": group.name},
        community=group, actor=person,
    )

The message ("groups.join_request") is a key of ``messages.MESSAGES``: what is stored is the key
and its parameters, rendered in the reader's language when shown.

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
