import logging
import re
import secrets
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.models import Group
from meent import idempotency, outages, params, sites
from meent.models import CommunitySettings

from . import services
from .forms import DirectConversationForm, HistoryQuery, MessageForm
from .models import Room
from .policies import may_use_group_chat

logger = logging.getLogger(__name__)


def room_or_404(request, room_id):
    """Rooms a person is not in answer 404, like rooms that do not exist."""
    return get_object_or_404(
        Room.objects.visible_to(request.user).select_related("group"), pk=room_id
    )


@login_required
@require_GET
def conversation_list(request):
    return render(
        request,
        "chat/conversation_list.html",
        {"rooms": services.conversations(request.user, sites.current_site(request))},
    )


@login_required
@require_GET
def group_room(request, slug):
    group = get_object_or_404(Group.objects.visible_to(request.user), slug=slug)
    # Members only, and only while the group's chat is on (the same answer as a missing room).
    if not may_use_group_chat(request.user, group):
        raise Http404
    return redirect(services.room_for_group(group))


def _call_server():
    return (getattr(settings, "MEENT_JITSI_URL", "") or "").rstrip("/")


@login_required
@require_POST
def group_call(request, slug):
    """Start a video call from the group's chat (when MEENT_JITSI_URL is set): a meeting room
    with an unguessable name, its link posted in the group's room as the person's message, and
    the person sent there. Members only; the link is as private as the room."""
    server = _call_server()
    group = get_object_or_404(Group.objects.visible_to(request.user), slug=slug)
    if not server or not may_use_group_chat(request.user, group):
        raise Http404
    room = services.room_for_group(group)
    # The page's own id for this button: pressing it twice posts one message, one call.
    client_id = "call-" + (request.POST.get("client_id") or uuid.uuid4().hex)[:40]
    address = f"{server}/meent-{secrets.token_urlsafe(18)}"
    body = _("I started a video call: %(url)s") % {"url": address}
    try:
        posted = services.post_message(room, request.user, client_id, body)
    except services.ChatError as error:
        messages.error(request, error.reason)
        return redirect(room)
    if posted.created:
        _broadcast(room, posted.message)
    else:
        found = re.search(re.escape(server) + r"/meent-[\w-]+", posted.message.body)
        address = found.group(0) if found else None
        if address is None:
            return redirect(room)
    response = redirect(address)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def room(request, room_id):
    room = room_or_404(request, room_id)
    # A group's room belongs to the group's community: opened elsewhere, it leads there.
    elsewhere = room.group_id and sites.redirect_to_site(request, room.group.site_id)
    if elsewhere:
        return elsewhere
    participant = room.participants.filter(user=request.user).first()
    last_read = participant.last_read_seq if participant else 0
    # Open at the first unread message, with some context above it.
    start = max(last_read - 20, 0)
    history = services.messages_after(room, start, limit=200)
    title = services.room_title(room, request.user)
    return render(
        request,
        "chat/room.html",
        {
            "room": room,
            "title": title,
            "history": history,
            "last_read": last_read,
            "has_older": start > 0,
            "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
            "can_post": not (room.group_id and room.group.is_archived),
            "video_calls": bool(_call_server()) and bool(room.group_id),
        },
    )


def _broadcast(room, message):
    """Send a stored message on to the room's open connections. The message is stored already:
    when the channel layer fails, the others see it on their next load or reconnect (they fill
    gaps from the database), and the sender still gets the room, not a 500. Redis away is one
    line per outage (meent/outages.py, as the consumer does); any other failure one line here."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            room.channel_group,
            {"type": "chat.message", "message": services.serialize(message)},
        )
    except Exception as error:  # noqa: BLE001 (any failure of the layer; the message is stored)
        if not outages.counted(error):
            logger.warning(
                "Chat message %s of room %s stored but not broadcast: %r",
                message.pk,
                room.pk,
                error,
            )
    else:
        outages.recovered(outages.REDIS)


@login_required
@require_POST
def post(request, room_id):
    """The no-JavaScript way to send: store, broadcast, and show the room again."""
    room = room_or_404(request, room_id)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            posted = services.post_message(
                room, request.user, form.cleaned_data["client_id"], form.cleaned_data["body"]
            )
        except services.ChatError as error:
            messages.error(request, error.reason)
            return redirect(room)
        # A repeat (the same client id: a retried or doubled post) is answered as the first one
        # was, with the room; only the first is broadcast.
        if posted.created:
            _broadcast(room, posted.message)
        return redirect(room)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(room)


@login_required
@require_GET
def history(request, room_id):
    """Older messages, paged over HTTP: ?before=<seq> gives the page just before it."""
    room = room_or_404(request, room_id)
    # A message number in range before any query (meent/params.py); JSON says what was wrong.
    query = params.bind(request, HistoryQuery)
    if not query.is_valid():
        return JsonResponse({"error": _("before must be a message number.")}, status=400)
    before = query.cleaned_data["before"]
    before = room.last_seq + 1 if before is None else before
    page = services.messages_before(room, before)
    return JsonResponse(
        {
            "room": room.pk,
            "messages": [services.serialize(m) for m in page],
            "has_older": bool(page) and page[0].seq > 1,
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_direct(request):
    anyone = (
        CommunitySettings.for_request(request).direct_messages
        == CommunitySettings.DirectMessages.ANYONE
    )
    form = DirectConversationForm(request.user, request.POST or None, anyone=anyone)
    if request.method == "POST" and form.is_valid():
        # The conversation of these people is found when it exists; the key makes a double
        # click at one moment open one new room, not two. The room is the answer either way.
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.direct_room(request.user, list(form.cleaned_data["people"]))[0],
            lambda room: room.get_absolute_url(),
        )
        return redirect(outcome.url)
    return render(request, "chat/new_direct.html", {"form": form})
