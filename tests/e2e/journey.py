"""The pages of the accessibility journey, shared by the browser suites that walk all of them.

``PUBLIC_PAGES`` are the pages anyone opens first (test_accessibility checks them in both
languages); ``build_journey()`` adds a community with content in every part of Meent and returns
every page a visitor and a member see: public, signed in, a group, its wiki, blog and chat, a
toolbox article, search, a profile and the notifications. The Wagtail admin is not part of it.

The content is what makes pages wide on a phone: long Dutch compound words in titles, names and
text, a long link, a table with many columns and a long line of code.
"""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blog import services as blog_services
from blog.services import PostInput, Publish
from chat import services as chat_services
from events import services as event_services
from files import services as file_services
from groups.models import Membership
from home.statements import ensure_statements
from polls import services as poll_services
from questions import services as question_services
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.files import documents
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    article_body,
    block,
    checklist,
    home_page,
    toolbox_index,
)
from toolbox.models import Phase
from wiki import services as wiki_services

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]

LONG_WORD = "Toegankelijkheidsverklaringsonderzoeksrapportage"
WIKI_BODY = (
    f"<h2>{LONG_WORD}</h2><p>De {LONG_WORD.lower()} staat op "
    "https://www.voorbeeldgemeente.nl/bestuur/organisatie/toegankelijkheid/verklaringen/2025/"
    "onderzoeksrapportage-digitale-dienstverlening.pdf en wordt jaarlijks bijgewerkt.</p>"
    "<table><tbody><tr><th>Kwartaal</th><th>Gemeentelijke dienstverlening</th>"
    "<th>Klanttevredenheidsonderzoek</th><th>Verantwoordelijke afdeling</th>"
    "<th>Begrotingsonderdeel</th><th>Opmerkingen</th></tr>"
    "<tr><td>Eerste</td><td>Omgevingsvergunningaanvragen</td><td>Afgerond</td>"
    "<td>Publiekszaken</td><td>Programmabegroting</td><td>Geen</td></tr></tbody></table>"
    "<pre><code>curl --header 'Accept: application/json' "
    "https://api.voorbeeldgemeente.nl/v1/toegankelijkheidsverklaringen?jaar=2025</code></pre>"
)


@dataclass(frozen=True)
class JourneyPage:
    name: str
    path: str
    signed_in: bool


def build_journey():
    """The community of the journey; returns {"person", "pages"} (a list of ``JourneyPage``).

    Anna is a member (the owner) of the group Toegankelijkheidswerkgroep, which has a wiki page,
    a blog post with comments, a chat room with messages; Bram's comment on her post is her
    unread notification (made by the services, as in use). The toolbox has one article with a
    checklist.
    """
    home = home_page()
    statements = ensure_statements(home)
    organisation = OrganisationFactory(
        name="Gemeente Voorbeeldstad-Zuidoostbeemster", slug="voorbeeldstad"
    )
    anna = UserFactory(
        first_name="Anna",
        last_name="Verhoeven-Schimmelpenninck",
        email="anna.verhoeven-schimmelpenninck@voorbeeldstad.nl",
        organisation=organisation,
        job_title="Beleidsmedewerker informatievoorzieningsarchitectuur",
        about="Ik werk aan https://www.voorbeeldgemeente.nl/digitale-toegankelijkheid/verklaring.",
    )
    bram = UserFactory(first_name="Bram", last_name="Peters", email="bram@voorbeeld.nl")
    group = GroupFactory(
        name="Toegankelijkheidswerkgroep Dienstverleningsketen",
        slug="toegankelijkheid",
        description=f"Samen aan de {LONG_WORD.lower()}.",
        content_default="open",
    )
    MembershipFactory(group=group, user=anna, role=Membership.Role.OWNER)
    MembershipFactory(group=group, user=bram)

    wiki_page = wiki_services.create_page(
        anna, group, title=LONG_WORD, body=WIKI_BODY, visibility="public"
    )
    post = blog_services.save_post(
        anna,
        PostInput(
            title=f"Verslag: {LONG_WORD}",
            summary=f"Over de {LONG_WORD.lower()}.",
            body=WIKI_BODY,
            tags="Toegankelijkheid, Dienstverleningsketen",
            publish=Publish.NOW,
        ),
        group=group,
    )
    comment = blog_services.add_comment(
        bram,
        post,
        "Zie https://www.voorbeeldgemeente.nl/bestuur/organisatie/toegankelijkheid/verklaringen/"
        "2025/onderzoeksrapportage-digitale-dienstverlening.pdf",
    )
    blog_services.add_comment(anna, post, f"Dank je, de {LONG_WORD.lower()} klopt.", comment)

    room = chat_services.room_for_group(group)
    for number, (author, text) in enumerate(
        [(bram, f"Heb je de {LONG_WORD.lower()} gelezen?"), (anna, "Ja, morgen bespreken we het.")]
    ):
        chat_services.post_message(room, author, f"journey-{number}", text)

    section = ToolboxSectionPageFactory(
        phase=Phase.PREPARING, title="Voorbereiden", slug="voorbereiden"
    )
    article = ToolboxArticlePageFactory(
        parent=section,
        title=f"De {LONG_WORD.lower()} publiceren",
        slug="verklaring-publiceren",
        summary="Wat je regelt voordat de verklaring openbaar wordt.",
        body=[
            block("heading", {"text": LONG_WORD, "level": "h2"}),
            *article_body(10, video_url="https://unknown-video-host.invalid/watch/1")[1:],
            checklist("Klaar om te publiceren?", [("i1", "Er is een verklaring")]),
        ],
    )
    toolbox = toolbox_index()
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    event = event_services.save_event(
        anna,
        event_services.EventInput(
            title=f"Werksessie {LONG_WORD.lower()}",
            description=WIKI_BODY,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            location=f"Stadskantoor, {LONG_WORD}zaal, Burgemeester van Walsumweg 1",
            capacity=12,
            recurrence="FREQ=WEEKLY;COUNT=6",
        ),
        group=group,
    )
    event_services.answer(bram, event, "going")

    # The group's files: a folder and documents with long names (files/services.py).
    folder = file_services.create_folder(
        anna, file_services.root_folder(group), f"{LONG_WORD} {starts.year}"
    )
    notes = file_services.upload(
        anna,
        folder,
        SimpleUploadedFile(
            f"{LONG_WORD}-notities.txt", f"{WIKI_BODY.replace('<', ' ')}\n".encode()
        ),
        description=f"Notities bij de {LONG_WORD.lower()}.",
        tags="Toegankelijkheid, Dienstverleningsketen",
    ).file
    report = file_services.upload(
        anna, folder, SimpleUploadedFile(f"{LONG_WORD}.pdf", documents.make_pdf([LONG_WORD]))
    ).file
    file_services.trash_file(
        anna,
        file_services.upload(
            anna, folder, SimpleUploadedFile("Oud-concept.txt", b"Een oud concept.\n")
        ).file,
    )

    # The group's poll: a long question and long options, with Anna's and Bram's votes (so the
    # chart and the table are shown to Anna).
    poll = poll_services.create_poll(
        anna,
        group,
        poll_services.PollInput(
            question=f"Wanneer bespreken we de {LONG_WORD.lower()} met de {LONG_WORD.lower()}?",
            description=WIKI_BODY.replace("<", " "),
            ends_at=starts,
            options=[f"{LONG_WORD} in het voorjaar", f"{LONG_WORD} in het najaar", "Nooit"],
        ),
    )
    for person in (anna, bram):
        poll_services.vote(person, poll, [poll.options.first().pk])

    # The group's question: Bram asks with a long title, Anna answers with the wiki's wide text and
    # Bram votes for it (Bram is told of the answer, so Anna's one unread notification stays).
    question = question_services.ask(
        bram, f"Wie kent de {LONG_WORD.lower()} van de {LONG_WORD.lower()}?", WIKI_BODY, group=group
    )
    question_services.vote(bram, question_services.answer(anna, question, WIKI_BODY))

    public = [
        JourneyPage("home", "/", False),
        *(JourneyPage(path.strip("/").replace("/", " "), path, False) for path in PUBLIC_PAGES[1:]),
        JourneyPage("accessibility statement", statements[1].url, False),
        JourneyPage("groups", "/groups/", False),
        JourneyPage("toolbox article", article.url, False),
    ]
    signed_in = [
        JourneyPage("home, signed in", "/", True),
        JourneyPage("profile", anna.get_absolute_url(), True),
        JourneyPage("profile form", "/people/me/edit/", True),
        JourneyPage("group", group.get_absolute_url(), True),
        JourneyPage("group members", f"{group.get_absolute_url()}members/", True),
        JourneyPage("wiki page", wiki_page.get_absolute_url(), True),
        JourneyPage("wiki page form", f"/groups/{group.slug}/wiki/-/{wiki_page.pk}/edit/", True),
        JourneyPage("blog", "/blog/", True),
        JourneyPage("blog post", post.get_absolute_url(), True),
        JourneyPage("blog post form", f"/blog/new/?group={group.slug}", True),
        JourneyPage("toolbox", toolbox.url, True),
        JourneyPage("toolbox article, signed in", article.url, True),
        JourneyPage("search", "/search/?q=toegankelijkheid", True),
        JourneyPage("notifications", "/notifications/", True),
        JourneyPage("event", event.get_absolute_url(), True),
        JourneyPage("event form", f"/events/{event.slug}/edit/", True),
        JourneyPage("group agenda", f"/groups/{group.slug}/agenda/", True),
        JourneyPage("agenda", "/events/", True),
        JourneyPage("month", "/events/month/", True),
        JourneyPage("chat", "/chat/", True),
        JourneyPage("group chat", f"/chat/group/{group.slug}/", True),
        JourneyPage("group files", f"/groups/{group.slug}/files/", True),
        JourneyPage("files folder", folder.get_absolute_url(), True),
        JourneyPage("file, text", notes.get_absolute_url(), True),
        JourneyPage("file, PDF", report.get_absolute_url(), True),
        JourneyPage("file details form", f"{notes.get_absolute_url()}edit/", True),
        JourneyPage("new folder form", f"{folder.get_absolute_url()}new/", True),
        JourneyPage("files trash", f"/groups/{group.slug}/files/trash/", True),
        JourneyPage("group questions", f"/groups/{group.slug}/questions/", True),
        JourneyPage("question with its answer", question.get_absolute_url(), True),
        JourneyPage("question form", f"/groups/{group.slug}/questions/new/", True),
        JourneyPage("group polls", f"/groups/{group.slug}/polls/", True),
        JourneyPage("poll with its result", poll.get_absolute_url(), True),
        JourneyPage("poll form", f"/groups/{group.slug}/polls/new/", True),
    ]
    return {"person": anna, "group": group, "pages": public + signed_in}
