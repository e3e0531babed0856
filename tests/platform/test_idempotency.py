"""A form posted twice makes one thing (meent/idempotency.py): the claim of a submission key, the
hidden field that carries it, the purge, and two posts at one moment on PostgreSQL."""

import threading
import uuid
from datetime import timedelta

import pytest
from django import forms
from django.core.management import call_command
from django.db import connection, connections
from django.template import Context, Template
from django.utils import timezone

from meent import idempotency
from meent.idempotency import SubmissionKeyForm, SubmissionKeyMixin, once
from meent.models import Submission
from tests.conftest import require_service
from tests.factories import GroupFactory, UserFactory


class Made:
    """Counts how often ``create`` ran; each run makes a group (a real row, to roll back)."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return GroupFactory(name=f"Gemaakt {uuid.uuid4().hex[:8]}")


def to(group):
    return group.get_absolute_url()


@pytest.mark.django_db
def test_a_key_makes_one_thing_and_a_repeat_answers_with_the_first_address():
    person, key, create = UserFactory(), uuid.uuid4(), Made()
    first = once(person, key, create, to)
    again = once(person, key, create, to)
    assert create.calls == 1
    assert not first.repeat and first.made is not None
    assert again.repeat and again.made is None
    assert again.url == first.url == first.made.get_absolute_url()
    assert Submission.objects.get(user=person, key=key).url == first.url


@pytest.mark.django_db
def test_another_key_or_another_person_makes_another_thing():
    anna, bram, key, create = UserFactory(), UserFactory(), uuid.uuid4(), Made()
    once(anna, key, create, to)
    once(anna, uuid.uuid4(), create, to)  # a person may really write twice
    once(bram, key, create, to)  # a key is one person's: the same one of another is no repeat
    assert create.calls == 3


@pytest.mark.django_db
def test_without_a_key_every_post_makes_something():
    person, create = UserFactory(), Made()
    once(person, None, create, to)
    once(person, None, create, to)
    assert create.calls == 2
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_a_failed_first_attempt_keeps_nothing_and_frees_the_key():
    from groups.models import Group

    person, key = UserFactory(), uuid.uuid4()
    before = Group.objects.count()

    def fails():
        GroupFactory(name="Half")
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        once(person, key, fails, to)
    assert Group.objects.count() == before  # nothing half-saved
    assert not Submission.objects.filter(user=person, key=key).exists()
    create = Made()
    outcome = once(person, key, create, to)  # sent again, with the same key: it works now
    assert create.calls == 1 and not outcome.repeat


@pytest.mark.django_db
def test_answered_and_earlier_answer_find_a_used_key_only(rf):
    person, key = UserFactory(), uuid.uuid4()
    assert idempotency.answered(person, key) is None
    first = once(person, key, Made(), to)
    assert idempotency.answered(person, key) == first.url
    assert idempotency.answered(UserFactory(), key) is None
    assert idempotency.posted_key({"submission_key": "nonsense"}) is None
    assert idempotency.posted_key({"submission_key": str(key)}) == key


# ---------------------------------------------------------------------------------------------
# The hidden field


class NoteForm(SubmissionKeyMixin, forms.Form):
    text = forms.CharField()


def rendered_key(form):
    html = str(form["submission_key"])
    assert 'type="hidden"' in html
    value = html.split('value="', 1)[1].split('"', 1)[0]
    return uuid.UUID(value)


def test_every_form_shown_carries_a_fresh_key():
    assert rendered_key(NoteForm()) != rendered_key(NoteForm())


def test_a_form_shown_again_with_errors_keeps_its_key():
    key = str(uuid.uuid4())
    form = NoteForm({"text": "", "submission_key": key})
    assert not form.is_valid()
    assert str(rendered_key(form)) == key
    assert key in form.as_div()


def test_a_malformed_key_is_an_error_at_the_top_of_the_form_and_is_replaced():
    form = NoteForm({"text": "Hallo", "submission_key": "12345-not-a-key"})
    assert not form.is_valid()
    assert "submission_key" not in form.errors  # a hidden field's error would show nowhere
    # In whatever language is active (another test may have left Dutch on).
    assert str(idempotency.INVALID) in form.non_field_errors()
    assert form.submission_key is None
    rendered_key(form)  # a real key now: sending the form again works


def test_a_missing_key_is_no_error_and_no_protection():
    form = NoteForm({"text": "Hallo"})
    assert form.is_valid()
    assert form.submission_key is None
    rendered_key(form)  # shown again, it would carry one


def test_a_valid_key_is_read():
    key = uuid.uuid4()
    form = NoteForm({"text": "Hallo", "submission_key": str(key)})
    assert form.is_valid()
    assert form.submission_key == key


def test_a_model_form_takes_the_mixin_too():
    from groups.forms import GroupForm

    assert "submission_key" in GroupForm().fields


def test_the_template_tag_gives_a_button_form_its_key():
    html = Template("{% load submission %}{% submission_key %}").render(Context())
    form = SubmissionKeyForm({"submission_key": html.split('value="')[1].split('"')[0]})
    assert form.is_valid() and form.submission_key is not None


# ---------------------------------------------------------------------------------------------
# Keeping and forgetting


@pytest.mark.django_db
def test_purge_forgets_keys_older_than_a_week():
    person = UserFactory()
    old = Submission.objects.create(user=person, key=uuid.uuid4(), url="/a/")
    recent = Submission.objects.create(user=person, key=uuid.uuid4(), url="/b/")
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Submission.objects.filter(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=6))
    call_command("purge_submissions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_a_persons_keys_go_with_their_account():
    from privacy import services as privacy_services

    person, other = UserFactory(), UserFactory()
    once(person, uuid.uuid4(), Made(), to)
    once(other, uuid.uuid4(), Made(), to)
    privacy_services.delete_account(person)
    assert list(Submission.objects.values_list("user_id", flat=True)) == [other.pk]


# ---------------------------------------------------------------------------------------------
# Two posts at one moment


def waiting_for_a_lock():
    """Whether another connection of this database waits for a lock, asked until it does (for
    at most about 30 seconds: a broken claim never waits, and the test fails instead)."""
    for _attempt in range(300):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        threading.Event().wait(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_posts_at_one_moment_with_one_key_make_one_thing():
    """Two threads, two connections, one key: the second INSERT waits for the first transaction
    on the unique index and then answers with its address. PostgreSQL only: SQLite has one writer
    at a time, so the race cannot happen there."""
    require_service("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL")
    person, key = UserFactory(), uuid.uuid4()
    inside = threading.Event()
    release = threading.Event()
    calls, outcomes, errors = [], [], []

    def create():
        calls.append(1)
        group = GroupFactory(name=f"Gelijktijdig {len(calls)}")
        inside.set()
        # Hold the first transaction open until the second post is waiting on the key.
        release.wait(timeout=30)
        return group

    def post():
        try:
            outcomes.append(once(person, key, create, to))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=post)
    first.start()
    assert inside.wait(timeout=30)
    second = threading.Thread(target=post)
    second.start()
    # Let the first commit only once the second waits on the key's lock (the unique index).
    assert waiting_for_a_lock(), "the second post did not wait for the first one's claim"
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert not errors, errors
    assert len(calls) == 1
    assert sorted(outcome.repeat for outcome in outcomes) == [False, True]
    assert outcomes[0].url == outcomes[1].url
    assert Submission.objects.filter(user=person, key=key).count() == 1
