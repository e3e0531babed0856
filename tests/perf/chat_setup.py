"""The chat benchmark's data, created in bulk inside the benchmark's own database.

Run by tests/perf/chat.py as ``python -m tests.perf.chat_setup OUT.json PEOPLE LABEL[,LABEL...]``
with the benchmark's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, REDIS_URL, ...). It
creates PEOPLE people, each with a signed-in session; per label a group room with all of them in
it and a direct room between two of them; and it counts the SQL queries of one chat send through
the consumer's own database methods. Everything is written to OUT.json.
"""

import json
import sys
from datetime import timedelta


def main(out_path, people, labels):
    import django

    django.setup()

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from chat import services
    from groups.models import Group, Membership

    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(
                email=f"chat-bench-{n}@bench.invalid",
                first_name="Bench",
                last_name=f"Person {n}",
                password=unusable,
            )
            for n in range(people)
        )
        backend = settings.AUTHENTICATION_BACKENDS[0]
        expires = timezone.now() + timedelta(days=1)
        store = SessionStore()
        sessions = []
        for user in users:
            key = store._get_new_session_key()
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: backend,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expires)
            )
        Session.objects.bulk_create(sessions)

        rooms = {}
        for index, label in enumerate([*labels, "probe"]):
            group = Group.objects.create(name=f"Chat bench {label}", slug=f"chat-bench-{label}")
            Membership.objects.bulk_create(
                Membership(group=group, user=user, role="owner" if n == 0 else "member")
                for n, user in enumerate(users)
            )
            pair = [2 * index % people, (2 * index + 1) % people]
            direct, _ = services.direct_room(users[pair[0]], [users[pair[1]]])
            rooms[label] = {
                "group_room": services.room_for_group(group).pk,
                "direct_room": direct.pk,
                "pair": pair,
            }

    result = {
        "people": people,
        "sessions": [session.session_key for session in sessions],
        "user_ids": [user.pk for user in users],
        "rooms": {label: rooms[label] for label in labels},
        "send_cost": send_cost(users[0], rooms["probe"]["group_room"]),
    }
    with open(out_path, "w") as out:
        json.dump(result, out)


def send_cost(user, room_id):
    """SQL queries of one send through ChatConsumer's own database methods (warm, the 2nd send).

    What the consumer runs in its database thread for a ``send`` frame: load_room (room, a fresh
    copy of the person, their memberships) and post (duplicate check, the numbered insert, the
    read marker). The rate limit's two cache round trips (Redis) come on top and are not counted.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chat.consumers import ChatConsumer

    try:
        load_room = ChatConsumer.__dict__["load_room"].func
        post = ChatConsumer.__dict__["post"].func
        consumer = ChatConsumer()
        consumer.user = user
        counted = []
        for attempt in range(2):
            with CaptureQueriesContext(connection) as captured:
                room = load_room(consumer, room_id)
                post(consumer, room, f"probe-{attempt}", "probe")
            counted.append(captured)
    except Exception as error:  # noqa: BLE001 - a probe only: report, never break the benchmark
        return {"error": f"{type(error).__name__}: {error}"}
    return {
        "queries": len(counted[1].captured_queries),
        "first_send_queries": len(counted[0].captured_queries),
        "sql": [query["sql"] for query in counted[1].captured_queries],
    }


if __name__ == "__main__":
    out_path, people, labels = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    main(out_path, people, labels)
