"""What people hear about events (notifications and e-mails), called after commit by
``events.services``. Each function takes ids, loads what it needs and tells the people
concerned in their own language (notifications store a key and parameters).

Filled in by the notifications part of issue 23; the services already call every function here.
"""


def created(event_id: int) -> None:
    """A new event: its group's followers hear of it (activity's announce)."""


def changed(event_id: int, fields: list[str]) -> None:
    """The time or place changed: everyone signed up (going, maybe, waiting) is told at once."""


def cancelled(event_id: int) -> None:
    """The event is cancelled: everyone signed up is told at once."""


def occurrence_changed(event_id: int, change_id: int) -> None:
    """One occurrence moved or cancelled: everyone signed up is told."""


def promoted(attendance_id: int) -> None:
    """A place came free and this person (or guest) moved up from the waiting list."""


def removed_details(attendance) -> dict:
    """What ``removed`` needs once the sign-up is gone (who, and how to reach them)."""
    return {
        "person_id": attendance.person_id,
        "guest_email": attendance.guest_email,
        "guest_name": attendance.guest_name,
    }


def removed(event_id: int, details: dict) -> None:
    """An organiser took someone off the list: they are told."""
