"""The starter toolbox that ``make demo`` loads: Dutch and English, written for Meent.

``load_toolbox(home, people)`` builds, under the Dutch home page, the toolbox index, a section per
phase with its articles, the licence chooser, the decision aid "Moet ik dit openbaar maken?" and
the publiccode.yml tool; then the English tree: a translation of every page (same slug, same
``translation_key``), under the English translation of the home page.

Idempotent and keyed on slugs: a page that exists is left alone, a missing one is created, so a
second run changes nothing. Pages are first created as drafts (the Dutch ones, then their English
copies), then filled and published, so that links between articles always find their target in
the same language.

The texts are content, not interface: they do not go through gettext. Every text is a pair
``(Dutch, English)``.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from toolbox.decisions.licences import (
    licence_chooser_introduction,
    licence_chooser_steps,
    licence_chooser_title,
)
from toolbox.decisions.models import DecisionAidPage
from toolbox.models import (
    Phase,
    ToolboxArticlePage,
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxTopic,
)
from toolbox.publiccode.models import PublicCodeToolPage

NL, EN = "nl", "en"
LANGUAGES = (NL, EN)
# Block ids derive from the article, the block and the item, so both languages share them.
ID_NAMESPACE = uuid.UUID("6f1d6c2e-4b7a-4f0e-9d35-2b1f1e6c8a10")

COMMUNITY_MANAGER = "redactie@minbzk.nl"
POLICY_OFFICER = "anna.jansen@minbzk.nl"
PRIVACY_OFFICER = "lotte.visser@amsterdam.nl"
DEVELOPER = "mohamed.yilmaz@amsterdam.nl"

TEAM_OSPO = ("Open-sourceteam BZK", "BZK open-source team")
TEAM_PRIVACY = ("Privacyteam Amsterdam", "Amsterdam privacy team")
TEAM_DEV = ("Ontwikkelteam Amsterdam", "Amsterdam development team")


def pick(pair, language):
    """The text of a ``(Dutch, English)`` pair in ``language``; anything else as it is."""
    if isinstance(pair, tuple):
        return pair[1] if language == EN else pair[0]
    return pair


# --- blocks: each returns a function of (language, context, id prefix) that gives raw data -------


def _id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def text(html):
    return lambda lang, ctx, bid: {"type": "text", "value": pick(html, lang), "id": bid}


def heading(words, level="h2"):
    return lambda lang, ctx, bid: {
        "type": "heading",
        "value": {"text": pick(words, lang), "level": level},
        "id": bid,
    }


def callout(kind, title, html):
    return lambda lang, ctx, bid: {
        "type": "callout",
        "value": {"kind": kind, "title": pick(title, lang), "text": pick(html, lang)},
        "id": bid,
    }


def checklist(title, items):
    return lambda lang, ctx, bid: {
        "type": "checklist",
        "value": {
            "title": pick(title, lang),
            "items": [
                {"type": "item", "value": pick(entry, lang), "id": _id(bid, n)}
                for n, entry in enumerate(items)
            ],
        },
        "id": bid,
    }


def steps(title, entries):
    return lambda lang, ctx, bid: {
        "type": "steps",
        "value": {
            "title": pick(title, lang),
            "steps": [
                {
                    "type": "item",
                    "value": {"title": pick(step_title, lang), "text": pick(html, lang)},
                    "id": _id(bid, n),
                }
                for n, (step_title, html) in enumerate(entries)
            ],
        },
        "id": bid,
    }


def faq(title, entries):
    return lambda lang, ctx, bid: {
        "type": "faq",
        "value": {
            "title": pick(title, lang),
            "items": [
                {
                    "type": "item",
                    "value": {"question": pick(question, lang), "answer": pick(html, lang)},
                    "id": _id(bid, n),
                }
                for n, (question, html) in enumerate(entries)
            ],
        },
        "id": bid,
    }


def law(title, reference, url, summary):
    return lambda lang, ctx, bid: {
        "type": "law_reference",
        "value": {
            "title": pick(title, lang),
            "reference": pick(reference, lang),
            "url": url,
            "summary": pick(summary, lang),
        },
        "id": bid,
    }


def video(url, title, transcript):
    return lambda lang, ctx, bid: {
        "type": "video",
        "value": {"video": url, "title": pick(title, lang), "transcript": pick(transcript, lang)},
        "id": bid,
    }


def download(description):
    """The checklist document of the language the article is in."""

    def build(lang, ctx, bid):
        document = ctx["documents"][lang]
        return {
            "type": "download",
            "value": {"document": document.pk, "description": pick(description, lang)},
            "id": bid,
        }

    return build


def page_link(slug):
    """A link to another page of the toolbox (its slug), in the same language."""
    return ("page", slug)


def url_link(url, title):
    return ("url", url, title)


def links(title, entries):
    def build(lang, ctx, bid):
        values = []
        for n, entry in enumerate(entries):
            if entry[0] == "page":
                page = ctx["pages"][lang].get(entry[1])
                if page is None:
                    continue
                value = {"page": page.pk, "url": "", "title": ""}
            else:
                value = {"page": None, "url": entry[1], "title": pick(entry[2], lang)}
            values.append({"type": "item", "value": value, "id": _id(bid, n)})
        return {
            "type": "related_links",
            "value": {"title": pick(title, lang), "links": values},
            "id": bid,
        }

    return build


# --- content ------------------------------------------------------------------------------------

# Topics are not translatable (one ``ToolboxTopic`` for both languages): Dutch, the default.
TOPICS = [
    (
        "licenties",
        "Licenties",
        "Welke open-sourcelicentie je kiest en wat die betekent.",
    ),
    (
        "beveiliging",
        "Beveiliging",
        "Veilig publiceren: geheimen, kwetsbaarheden en meldingen.",
    ),
    (
        "privacy",
        "Privacy",
        "Persoonsgegevens en de AVG bij open source.",
    ),
    (
        "community",
        "Community",
        "Samenwerken met gebruikers, bijdragers en andere overheden.",
    ),
    (
        "inkoop",
        "Inkoop en contracten",
        "Rechten op code regelen met leveranciers.",
    ),
    (
        "beleid",
        "Beleid en wetgeving",
        "Open, tenzij, de Woo en Europese regels.",
    ),
]

INDEX = {
    "slug": "toolbox",
    "title": ("Toolbox open source", "Open-source toolbox"),
    "introduction": (
        "Wil je software van de overheid als open source publiceren? Deze toolbox helpt je stap "
        "voor stap: van de beslissing tot het samenwerken met andere organisaties. Met artikelen, "
        "controlelijsten die je kunt afvinken, een licentiekiezer en een hulp voor publiccode.yml.",
        "Do you want to publish government software as open source? This toolbox takes you "
        "through it step by step: from the decision to working with other organisations. With "
        "articles, checklists you can tick off, a licence chooser and a publiccode.yml helper.",
    ),
}

SECTIONS = [
    (
        Phase.DECIDING,
        "beslissen",
        ("Beslissen", "Deciding"),
        (
            "Mag en moet de code open? Hier lees je wat het beleid 'open, tenzij' van je vraagt "
            "en wanneer een uitzondering geldt.",
            "May the code be opened, and must it? Read what the 'open, unless' policy asks of "
            "you and when an exception applies.",
        ),
    ),
    (
        Phase.PREPARING,
        "voorbereiden",
        ("Voorbereiden", "Preparing"),
        (
            "Kies een licentie, maak de repository schoon, schrijf een goede README en laat de "
            "beveiliging nakijken voordat je iets openbaar zet.",
            "Choose a licence, clean the repository, write a good README and have security "
            "checked before anything goes public.",
        ),
    ),
    (
        Phase.PUBLISHING,
        "publiceren",
        ("Publiceren", "Publishing"),
        (
            "Zet de code online, beschrijf hem met publiccode.yml en laat weten dat hij er is.",
            "Put the code online, describe it with publiccode.yml and tell people it exists.",
        ),
    ),
    (
        Phase.MAINTAINING,
        "onderhouden",
        ("Onderhouden", "Maintaining"),
        (
            "Na de publicatie begint het pas: vragen, meldingen, nieuwe versies en op een dag "
            "misschien het archief.",
            "Publishing is only the start: questions, reports, new versions and one day perhaps "
            "the archive.",
        ),
    ),
    (
        Phase.COLLABORATING,
        "samenwerken",
        ("Samenwerken", "Collaborating"),
        (
            "Open source wordt pas echt waardevol als anderen meedoen. Zo werk je samen met "
            "andere overheden en bouw je een gemeenschap.",
            "Open source becomes truly valuable when others join in. How to work with other "
            "governments and build a community.",
        ),
    ),
]

DECISION_AID_SLUG = "moet-ik-dit-openbaar-maken"
LICENCE_CHOOSER_SLUG = "licentiekiezer"
PUBLICCODE_TOOL_SLUG = "publiccode-yml-hulp"

PUBLISH_DECISION_TITLE = ("Moet ik dit openbaar maken?", "Should I publish this as open source?")
PUBLISH_DECISION_INTRODUCTION = (
    "Het kabinet koos in 2020 voor 'open, tenzij': broncode van de overheid wordt openbaar, "
    "tenzij er een goede reden is om dat niet te doen. Beantwoord vijf korte vragen en je weet "
    "of zo'n reden voor jouw project geldt en wat je dan doet. Dit is een hulpmiddel, geen "
    "juridisch advies: twijfel je, overleg dan met je jurist, privacy officer of CISO.",
    "In 2020 the Dutch cabinet chose 'open, unless': government source code is published, "
    "unless there is a good reason not to. Answer five short questions to find out whether such "
    "a reason applies to your project and what to do then. This is a guide, not legal advice: "
    "in doubt, talk to your lawyer, privacy officer or CISO.",
)


def _question(key, question, help_text, answers, lang):
    return {
        "type": "question",
        "value": {
            "key": key,
            "question": pick(question, lang),
            "help": pick(help_text, lang),
            "answers": [{"label": pick(label, lang), "next": target} for label, target in answers],
        },
    }


def _outcome(key, title, advice, lang):
    return {
        "type": "outcome",
        "value": {
            "key": key,
            "title": pick(title, lang),
            "advice": pick(advice, lang),
            "recommendation": "",
            "recommendation_url": "",
        },
    }


def publish_decision_steps(lang):
    """The steps of "Moet ik dit openbaar maken?": five questions, six outcomes."""
    q, o = _question, _outcome
    return [
        q(
            "what",
            ("Wat wil je openbaar maken?", "What do you want to publish?"),
            (
                "Deze hulp gaat over broncode. Voor documenten en data gelden andere routes.",
                "This guide is about source code. Documents and data follow other routes.",
            ),
            [
                (
                    (
                        "Broncode van software die wij maken of laten maken",
                        "Source code of software we make or have made for us",
                    ),
                    "rights",
                ),
                (("Documenten of data", "Documents or data"), "other-route"),
            ],
            lang,
        ),
        q(
            "rights",
            (
                "Heeft jouw organisatie de rechten op alle code?",
                "Does your organisation hold the rights to all of the code?",
            ),
            (
                "Code van je eigen medewerkers is meestal van je organisatie. Bij code van een "
                "leverancier hangt het af van het contract.",
                "Code written by your own staff usually belongs to your organisation. For code "
                "from a supplier it depends on the contract.",
            ),
            [
                (("Ja, alles", "Yes, all of it"), "security"),
                (
                    (
                        "Deels: er zit code van een leverancier of van anderen in",
                        "Partly: it contains code from a supplier or from others",
                    ),
                    "third-party",
                ),
                (("Dat weet ik niet", "I don't know"), "find-out-rights"),
            ],
            lang,
        ),
        q(
            "third-party",
            (
                "Mag je die code van anderen delen volgens hun licentie of het contract?",
                "May you share that code from others under its licence or the contract?",
            ),
            "",
            [
                (("Ja, dat mag", "Yes, we may"), "security"),
                (("Nee, of dat is niet zeker", "No, or that is not certain"), "partly-open"),
            ],
            lang,
        ),
        q(
            "security",
            (
                "Kan openbaarmaking de veiligheid schaden van mensen, systemen of de staat?",
                "Could publishing harm the safety of people, systems or the state?",
            ),
            (
                "Denk aan regels om fraude op te sporen of aan code van vitale systemen. Let op: "
                "code die alleen veilig is zolang niemand hem ziet, is ook nu al niet veilig.",
                "Think of rules for detecting fraud, or code of critical systems. Note: code "
                "that is only safe as long as nobody sees it is not safe now either.",
            ),
            [
                (("Nee", "No"), "privacy"),
                (("Ja, een deel ervan", "Yes, part of it"), "partly-open"),
                (("Ja, het geheel", "Yes, all of it"), "closed"),
            ],
            lang,
        ),
        q(
            "privacy",
            (
                "Staan er persoonsgegevens, wachtwoorden of sleutels in de code of in de "
                "geschiedenis van de repository?",
                "Are there personal data, passwords or keys in the code or in the history of "
                "the repository?",
            ),
            (
                "Ook testdata, logbestanden en oude commits tellen mee.",
                "Test data, log files and old commits count too.",
            ),
            [
                (("Nee", "No"), "open"),
                (("Ja, of dat weet ik niet zeker", "Yes, or I'm not sure"), "clean-first"),
            ],
            lang,
        ),
        o(
            "open",
            ("Maak het openbaar", "Publish it"),
            (
                "<p>Er is geen reden om de code dicht te houden. Kies een licentie (meestal de "
                "EUPL-1.2), schrijf een README en publiceer. De toolbox helpt je bij elke stap.</p>",
                "<p>There is no reason to keep the code closed. Choose a licence (usually the "
                "EUPL-1.2), write a README and publish. The toolbox helps you with each step.</p>",
            ),
            lang,
        ),
        o(
            "clean-first",
            ("Eerst opschonen, dan openbaar", "Clean up first, then publish"),
            (
                "<p>Haal persoonsgegevens, wachtwoorden en sleutels uit de code én uit de "
                "geschiedenis. Vervang elke sleutel die ooit in de repository stond: zie hem als "
                "gelekt. Daarna kun je publiceren.</p>",
                "<p>Remove personal data, passwords and keys from the code and from the history. "
                "Replace every key that was ever in the repository: treat it as leaked. Then you "
                "can publish.</p>",
            ),
            lang,
        ),
        o(
            "partly-open",
            ("Maak open wat kan", "Publish what you can"),
            (
                "<p>Een uitzondering geldt meestal voor een deel, niet voor alles. Zet het "
                "gevoelige deel of de code van anderen apart (bijvoorbeeld in een aparte, "
                "besloten module of configuratie) en publiceer de rest. Vraag de leverancier om "
                "toestemming voor zijn deel.</p>",
                "<p>An exception usually covers a part, not everything. Separate the sensitive "
                "part or the code of others (for example into a private module or "
                "configuration) and publish the rest. Ask the supplier for permission for their "
                "part.</p>",
            ),
            lang,
        ),
        o(
            "closed",
            ("Houd het gesloten en leg uit waarom", "Keep it closed and explain why"),
            (
                "<p>Dan geldt de uitzondering. Leg de reden vast in je besluit, laat je CISO "
                "meelezen en kijk over een jaar opnieuw: redenen verlopen. Kun je de code wel "
                "delen met andere overheden, onder voorwaarden? Dat is ook waardevol.</p>",
                "<p>Then the exception applies. Record the reason in your decision, have your "
                "CISO read along and look again in a year: reasons expire. Could you share the "
                "code with other governments, under conditions? That has value too.</p>",
            ),
            lang,
        ),
        o(
            "find-out-rights",
            ("Zoek eerst uit van wie de code is", "Find out first who owns the code"),
            (
                "<p>Lees het contract met de leverancier en vraag je inkoper of jurist. Staat er "
                "niets in, dan houdt de leverancier meestal het auteursrecht. Maak in nieuwe "
                "contracten afspraken over open source.</p>",
                "<p>Read the contract with the supplier and ask your buyer or lawyer. If it says "
                "nothing, the supplier usually keeps the copyright. Agree on open source in new "
                "contracts.</p>",
            ),
            lang,
        ),
        o(
            "other-route",
            ("Gebruik een andere route", "Use another route"),
            (
                "<p>Documenten maak je openbaar volgens de Wet open overheid, data via het "
                "open-databeleid (bijvoorbeeld op data.overheid.nl). Deze hulp gaat over "
                "broncode.</p>",
                "<p>Documents are published under the Open Government Act (Woo), data under the "
                "open data policy (for example on data.overheid.nl). This guide is about source "
                "code.</p>",
            ),
            lang,
        ),
    ]


PUBLICCODE_TOOL = {
    "title": ("publiccode.yml maken en controleren", "Create and check publiccode.yml"),
    "introduction": (
        "Vul het formulier in en je krijgt een publiccode.yml die je in de hoofdmap van je "
        "repository zet. Heb je al een bestand? Controleer het dan hier. Er wordt niets "
        "opgeslagen.",
        "Fill in the form and get a publiccode.yml to put in the root of your repository. "
        "Already have one? Check it here. Nothing is stored.",
    ),
}

VIDEO_URL = "https://video.example.org/w/open-tenzij-in-vijf-minuten"

CHECKLIST_DOCUMENTS = {
    NL: (
        "Controlelijst: klaar om te publiceren",
        "controlelijst-klaar-om-te-publiceren.md",
        """# Controlelijst: klaar om te publiceren

Loop deze lijst door voordat je een repository openbaar maakt.

## Rechten en licentie
- [ ] Mijn organisatie heeft de rechten op alle code (of toestemming van de eigenaar).
- [ ] Er staat een LICENSE-bestand in de hoofdmap (meestal EUPL-1.2).
- [ ] De licenties van gebruikte bibliotheken passen bij onze licentie.

## Geen geheimen, geen persoonsgegevens
- [ ] Geen wachtwoorden, tokens of sleutels in de code of in de geschiedenis.
- [ ] Elke sleutel die ooit in de repository stond, is vervangen.
- [ ] Geen persoonsgegevens in testdata, logbestanden of voorbeelden.
- [ ] Medewerkers weten dat hun naam in de commitgeschiedenis zichtbaar wordt.

## Documentatie
- [ ] README: wat het is, voor wie, hoe je begint, wie het onderhoudt.
- [ ] CONTRIBUTING: hoe anderen kunnen bijdragen.
- [ ] SECURITY: hoe je een kwetsbaarheid meldt.
- [ ] publiccode.yml in de hoofdmap.

## Besluit
- [ ] De eigenaar van het product heeft ingestemd.
- [ ] De CISO of securityadviseur heeft meegekeken.
""",
    ),
    EN: (
        "Checklist: ready to publish",
        "checklist-ready-to-publish.md",
        """# Checklist: ready to publish

Go through this list before you make a repository public.

## Rights and licence
- [ ] My organisation holds the rights to all of the code (or has the owner's permission).
- [ ] There is a LICENSE file in the root folder (usually EUPL-1.2).
- [ ] The licences of the libraries we use are compatible with ours.

## No secrets, no personal data
- [ ] No passwords, tokens or keys in the code or in the history.
- [ ] Every key that was ever in the repository has been replaced.
- [ ] No personal data in test data, log files or examples.
- [ ] Staff know their name becomes visible in the commit history.

## Documentation
- [ ] README: what it is, who it is for, how to start, who maintains it.
- [ ] CONTRIBUTING: how others can contribute.
- [ ] SECURITY: how to report a vulnerability.
- [ ] publiccode.yml in the root folder.

## Decision
- [ ] The product owner has agreed.
- [ ] The CISO or security adviser has taken a look.
""",
    ),
}

WOO_URL = "https://wetten.overheid.nl/BWBR0045754"
AUTEURSWET_URL = "https://wetten.overheid.nl/BWBR0001886"
ARCHIEFWET_URL = "https://wetten.overheid.nl/BWBR0007376"
AVG_URL = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
IEA_URL = "https://eur-lex.europa.eu/eli/reg/2024/903/oj"

OPEN_TENZIJ_LAW = law(
    ("Het beleid 'open, tenzij'", "The 'open, unless' policy"),
    (
        "Kamerbrief over het vrijgeven van broncode van overheidssoftware, april 2020",
        "Letter to parliament on releasing the source code of government software, April 2020",
    ),
    "",
    (
        "<p>Het kabinet spreekt uit dat de broncode van software die de overheid maakt of laat "
        "maken openbaar wordt, tenzij er een goede reden is om dat niet te doen, zoals "
        "veiligheid of de rechten van anderen.</p>",
        "<p>The cabinet states that the source code of software the government makes or has "
        "made is published, unless there is a good reason not to, such as security or the "
        "rights of others.</p>",
    ),
)

# Each article: section slug, slug, title, summary, topic slugs, other phases, owner e-mail,
# owner team, months since the last review, review interval (months), body.
ARTICLES = [
    # --- deciding ---------------------------------------------------------------------------
    {
        "section": "beslissen",
        "slug": "open-tenzij",
        "title": (
            "Open, tenzij: wat betekent het voor jou?",
            "Open, unless: what does it mean for you?",
        ),
        "summary": (
            "De overheid maakt haar broncode openbaar, tenzij er een goede reden is om dat niet "
            "te doen. Wat dat in de praktijk van je vraagt.",
            "The government publishes its source code unless there is a good reason not to. "
            "What that asks of you in practice.",
        ),
        "topics": ["beleid"],
        "phases": [],
        "owner": POLICY_OFFICER,
        "team": TEAM_OSPO,
        "reviewed": 2,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Software die met publiek geld is gemaakt, hoort terug te gaan naar de "
                    "samenleving. Daarom koos het kabinet in 2020 voor <b>open, tenzij</b>: de "
                    "broncode van software die de overheid maakt of laat maken, wordt openbaar. "
                    "Alleen als er een goede reden is, blijft de code dicht.</p>",
                    "<p>Software paid for with public money should go back to society. That is "
                    "why the Dutch cabinet chose <b>open, unless</b> in 2020: the source code of "
                    "software the government makes or has made is published. Only when there is "
                    "a good reason does the code stay closed.</p>",
                )
            ),
            heading(("Wat levert het op?", "What does it bring?")),
            text(
                (
                    "<ul><li>Andere overheden kunnen je software hergebruiken in plaats van "
                    "hetzelfde opnieuw te kopen.</li><li>Burgers en journalisten kunnen "
                    "controleren hoe de overheid beslist.</li><li>Fouten worden eerder gevonden, "
                    "omdat meer mensen meekijken.</li><li>Je bent minder afhankelijk van één "
                    "leverancier.</li></ul>",
                    "<ul><li>Other governments can reuse your software instead of buying the "
                    "same thing again.</li><li>Citizens and journalists can check how the "
                    "government decides.</li><li>Bugs are found sooner, because more people "
                    "look.</li><li>You depend less on a single supplier.</li></ul>",
                )
            ),
            heading(("Wat vraagt het van jou?", "What does it ask of you?")),
            text(
                (
                    "<p>Open source is geen kwestie van een knop omzetten. Je regelt de rechten "
                    "op de code, kiest een licentie, maakt de code schoon en spreekt af wie hem "
                    "onderhoudt. Begin daarom vroeg: wie vanaf de eerste dag open werkt, hoeft "
                    "achteraf weinig op te ruimen.</p>",
                    "<p>Open source is not a matter of flipping a switch. You sort out the "
                    "rights to the code, choose a licence, clean the code and agree who "
                    "maintains it. So start early: if you work in the open from day one, there "
                    "is little to tidy up afterwards.</p>",
                )
            ),
            callout(
                "tip",
                ("Begin klein", "Start small"),
                (
                    "<p>Publiceer eerst één onderdeel, zoals een bibliotheek of een "
                    "formulier. Zo leert je organisatie hoe het werkt.</p>",
                    "<p>Publish one component first, such as a library or a form. That way "
                    "your organisation learns how it works.</p>",
                ),
            ),
            OPEN_TENZIJ_LAW,
            law(
                ("Wet open overheid", "Open Government Act (Woo)"),
                ("Wet open overheid, art. 3.3 en art. 5.1", "Woo, art. 3.3 and art. 5.1"),
                WOO_URL,
                (
                    "<p>De Woo gaat over openbaarheid van publieke informatie. De gronden om "
                    "informatie niet openbaar te maken (art. 5.1) lijken op de uitzonderingen "
                    "van 'open, tenzij'.</p>",
                    "<p>The Woo is about access to public information. Its grounds for not "
                    "disclosing information (art. 5.1) resemble the exceptions of 'open, "
                    "unless'.</p>",
                ),
            ),
            video(
                VIDEO_URL,
                ("Open, tenzij in vijf minuten", "Open, unless in five minutes"),
                (
                    "<p>[Spreker] Welkom. In vijf minuten leg ik uit wat open, tenzij "
                    "betekent.</p><p>Sinds 2020 is het uitgangspunt: de broncode van "
                    "overheidssoftware is openbaar. Dat levert hergebruik, controle en betere "
                    "kwaliteit op.</p><p>Er zijn uitzonderingen: veiligheid, privacy en de "
                    "rechten van anderen. Die gelden vaak voor een deel, niet voor alles.</p>"
                    "<p>[Beeld: de vijf fasen van de toolbox] Begin bij de beslissing, bereid "
                    "je voor, publiceer, onderhoud en werk samen. Succes!</p>",
                    "<p>[Speaker] Welcome. In five minutes I'll explain what open, unless "
                    "means.</p><p>Since 2020 the starting point is: the source code of "
                    "government software is public. That brings reuse, scrutiny and better "
                    "quality.</p><p>There are exceptions: security, privacy and the rights of "
                    "others. They often cover a part, not everything.</p><p>[On screen: the five "
                    "phases of the toolbox] Start with the decision, prepare, publish, maintain "
                    "and collaborate. Good luck!</p>",
                ),
            ),
            checklist(
                ("Zo begin je", "How to start"),
                [
                    (
                        "Ik weet welke software mijn team maakt of laat maken",
                        "I know which software my team makes or has made",
                    ),
                    (
                        "Ik heb de beslishulp 'Moet ik dit openbaar maken?' doorlopen",
                        "I went through the decision aid 'Should I publish this as open source?'",
                    ),
                    (
                        "Ik weet wie in mijn organisatie over open source gaat",
                        "I know who deals with open source in my organisation",
                    ),
                ],
            ),
            links(
                ("Verder lezen", "Read on"),
                [
                    page_link(DECISION_AID_SLUG),
                    page_link("mag-deze-code-open"),
                    url_link(
                        "https://developer.overheid.nl",
                        ("Developer Overheid", "Developer Overheid (Dutch government developers)"),
                    ),
                ],
            ),
        ],
    },
    {
        "section": "beslissen",
        "slug": "mag-deze-code-open",
        "title": ("Mag deze code open?", "May this code be opened?"),
        "summary": (
            "De drie uitzonderingen op 'open, tenzij': veiligheid, privacy en de rechten van "
            "anderen. Hoe je ze herkent en wat je dan doet.",
            "The three exceptions to 'open, unless': security, privacy and the rights of "
            "others. How to recognise them and what to do.",
        ),
        "topics": ["beleid", "beveiliging", "privacy", "inkoop"],
        "phases": [Phase.PREPARING],
        "owner": POLICY_OFFICER,
        "team": TEAM_OSPO,
        "reviewed": 14,  # overdue: the review was due two months ago
        "interval": 12,
        "body": [
            text(
                (
                    "<p>De meeste code mag gewoon open. Soms is er een reden om (een deel) dicht "
                    "te houden. Er zijn drie soorten redenen. Ze gelden bijna altijd voor een "
                    "deel van de code, zelden voor alles.</p>",
                    "<p>Most code can simply be opened. Sometimes there is a reason to keep (a "
                    "part) closed. There are three kinds of reasons. They almost always cover a "
                    "part of the code, rarely all of it.</p>",
                )
            ),
            heading(("Veiligheid", "Security")),
            text(
                (
                    "<p>Code die laat zien hoe je fraude opspoort of hoe een vitaal systeem is "
                    "ingericht, kan misbruikt worden. Maar: code die alleen veilig is zolang "
                    "niemand hem ziet, is niet veilig. Een goede beveiliging werkt ook als de "
                    "code openbaar is.</p>",
                    "<p>Code that shows how you detect fraud, or how a critical system is set "
                    "up, can be abused. But: code that is only safe as long as nobody sees it is "
                    "not safe. Good security works even when the code is public.</p>",
                )
            ),
            heading(("Privacy", "Privacy")),
            text(
                (
                    "<p>Persoonsgegevens horen niet in code. Zitten ze in testdata of in de "
                    "geschiedenis van de repository, haal ze er dan uit voordat je publiceert. "
                    "Dat is een reden om op te schonen, niet om dicht te houden.</p>",
                    "<p>Personal data do not belong in code. If they are in test data or in the "
                    "repository's history, remove them before you publish. That is a reason to "
                    "clean up, not to keep the code closed.</p>",
                )
            ),
            heading(("Rechten van anderen", "Rights of others")),
            text(
                (
                    "<p>Heeft een leverancier de code geschreven, dan hangt het van het contract "
                    "af wie het auteursrecht heeft. Code van je eigen medewerkers is in de regel "
                    "van je organisatie.</p>",
                    "<p>If a supplier wrote the code, the contract decides who holds the "
                    "copyright. Code written by your own staff generally belongs to your "
                    "organisation.</p>",
                )
            ),
            callout(
                "warning",
                ("Een uitzondering verloopt", "An exception expires"),
                (
                    "<p>Leg vast waarom code dicht blijft en kijk er elk jaar opnieuw naar. Wat "
                    "vandaag gevoelig is, is dat over een jaar misschien niet meer.</p>",
                    "<p>Record why code stays closed and look at it again every year. What is "
                    "sensitive today may not be in a year.</p>",
                ),
            ),
            law(
                ("Wie is de maker?", "Who is the author?"),
                ("Auteurswet, art. 7 en 8", "Dutch Copyright Act (Auteurswet), art. 7 and 8"),
                AUTEURSWET_URL,
                (
                    "<p>Maakt een medewerker code in dienst, dan geldt de werkgever als maker. "
                    "Voor code van een leverancier moet je de rechten in het contract regelen; "
                    "overdracht van auteursrecht vraagt een akte.</p>",
                    "<p>When an employee writes code as part of their job, the employer counts "
                    "as the author. For a supplier's code you arrange the rights in the "
                    "contract; transferring copyright requires a deed.</p>",
                ),
            ),
            law(
                ("Persoonsgegevens", "Personal data"),
                (
                    "AVG (Verordening (EU) 2016/679), art. 5 en 25",
                    "GDPR (Regulation (EU) 2016/679), art. 5 and 25",
                ),
                AVG_URL,
                (
                    "<p>Verwerk niet meer persoonsgegevens dan nodig en bouw privacy in vanaf "
                    "het ontwerp. Dat geldt ook voor testdata en logbestanden.</p>",
                    "<p>Process no more personal data than needed and build privacy in from the "
                    "design. That includes test data and log files.</p>",
                ),
            ),
            faq(
                ("Veelgestelde vragen", "Frequently asked questions"),
                [
                    (
                        ("Is open code niet onveiliger?", "Isn't open code less secure?"),
                        (
                            "<p>Nee. Veiligheid hoort uit sleutels en instellingen te komen, niet "
                            "uit geheimhouding van de code. Openheid helpt juist om fouten te "
                            "vinden.</p>",
                            "<p>No. Security should come from keys and settings, not from keeping "
                            "the code secret. Openness actually helps to find mistakes.</p>",
                        ),
                    ),
                    (
                        (
                            "De leverancier wil niet dat we publiceren. Wat nu?",
                            "The supplier doesn't want us to publish. What now?",
                        ),
                        (
                            "<p>Kijk wat het contract zegt. Publiceer je eigen delen en maak in "
                            "een volgend contract afspraken over open source.</p>",
                            "<p>Check what the contract says. Publish your own parts and agree "
                            "on open source in the next contract.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Uitzonderingen nagelopen", "Exceptions checked"),
                [
                    (
                        "Ik weet wie de rechten op de code heeft",
                        "I know who holds the rights to the code",
                    ),
                    (
                        "De CISO heeft gekeken naar gevoelige onderdelen",
                        "The CISO has looked at sensitive parts",
                    ),
                    (
                        "Er staan geen persoonsgegevens in de code of de geschiedenis",
                        "There are no personal data in the code or its history",
                    ),
                    (
                        "Elke uitzondering is vastgelegd, met een datum om opnieuw te kijken",
                        "Every exception is recorded, with a date to look again",
                    ),
                ],
            ),
            links(
                ("Verder", "Next"),
                [page_link(DECISION_AID_SLUG), page_link("repository-opschonen")],
            ),
        ],
    },
    # --- preparing --------------------------------------------------------------------------
    {
        "section": "voorbereiden",
        "slug": "licentie-kiezen",
        "title": ("Een licentie kiezen", "Choosing a licence"),
        "summary": (
            "Zonder licentie mag niemand je code gebruiken. Voor de meeste overheidssoftware is "
            "de EUPL-1.2 de beste keuze.",
            "Without a licence nobody may use your code. For most government software the "
            "EUPL-1.2 is the best choice.",
        ),
        "topics": ["licenties"],
        "phases": [],
        "owner": POLICY_OFFICER,
        "team": TEAM_OSPO,
        "reviewed": 3,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Code zonder licentie is niet open source: het auteursrecht verbiedt "
                    "anderen dan om hem te gebruiken, aan te passen of te delen. Met een "
                    "licentie geef je iedereen die rechten, onder voorwaarden die jij kiest.</p>",
                    "<p>Code without a licence is not open source: copyright then forbids "
                    "others to use, change or share it. A licence gives everyone those rights, "
                    "on conditions you choose.</p>",
                )
            ),
            heading(("Waarom meestal de EUPL-1.2?", "Why usually the EUPL-1.2?")),
            text(
                (
                    "<p>De European Union Public Licence is gemaakt door de Europese Commissie, "
                    "geldt in alle EU-talen en past bij het Europese recht. Wie je code aanpast "
                    "en verspreidt, ook als online dienst, moet zijn wijzigingen delen onder "
                    "dezelfde licentie. En de EUPL werkt samen met andere bekende licenties, "
                    "zoals de GPL en de MPL.</p>",
                    "<p>The European Union Public Licence was written by the European "
                    "Commission, is valid in all EU languages and fits European law. Whoever "
                    "changes and distributes your code, including as an online service, must "
                    "share their changes under the same licence. And the EUPL is compatible "
                    "with other well-known licences, such as the GPL and the MPL.</p>",
                )
            ),
            heading(("Andere keuzes", "Other choices"), "h3"),
            text(
                (
                    "<ul><li><b>MIT of Apache-2.0</b>: als je wilt dat iedereen de code zo vrij "
                    "mogelijk gebruikt, ook in gesloten producten.</li><li><b>AGPL-3.0 of "
                    "GPL-3.0</b>: als je voortbouwt op code die al onder die licentie valt."
                    "</li><li><b>CC-BY-4.0</b>: voor documentatie, teksten en afbeeldingen."
                    "</li></ul>",
                    "<ul><li><b>MIT or Apache-2.0</b>: if you want everyone to use the code as "
                    "freely as possible, also in closed products.</li><li><b>AGPL-3.0 or "
                    "GPL-3.0</b>: if you build on code already under that licence.</li><li>"
                    "<b>CC-BY-4.0</b>: for documentation, texts and images.</li></ul>",
                )
            ),
            steps(
                ("Zo voeg je de licentie toe", "How to add the licence"),
                [
                    (
                        ("Kies de licentie", "Choose the licence"),
                        (
                            "<p>Gebruik de licentiekiezer als je twijfelt.</p>",
                            "<p>Use the licence chooser if in doubt.</p>",
                        ),
                    ),
                    (
                        ("Zet de tekst in LICENSE", "Put the text in LICENSE"),
                        (
                            "<p>Kopieer de volledige, officiële licentietekst naar een bestand "
                            "LICENSE in de hoofdmap.</p>",
                            "<p>Copy the full, official licence text into a file named LICENSE in "
                            "the root folder.</p>",
                        ),
                    ),
                    (
                        ("Noem de licentie in elk bestand", "Name the licence in each file"),
                        (
                            "<p>Zet bovenaan elk bronbestand een korte regel, bijvoorbeeld "
                            "<i>SPDX-License-Identifier: EUPL-1.2</i>.</p>",
                            "<p>Put a short line at the top of each source file, for example "
                            "<i>SPDX-License-Identifier: EUPL-1.2</i>.</p>",
                        ),
                    ),
                    (
                        ("Controleer je afhankelijkheden", "Check your dependencies"),
                        (
                            "<p>Passen de licenties van de bibliotheken die je gebruikt bij jouw "
                            "licentie?</p>",
                            "<p>Are the licences of the libraries you use compatible with "
                            "yours?</p>",
                        ),
                    ),
                ],
            ),
            callout(
                "tip",
                ("Laat het je jurist weten", "Tell your lawyer"),
                (
                    "<p>Je hoeft geen licentie zelf te schrijven, en dat moet je ook niet doen. "
                    "Een bestaande licentie is bekend en getest.</p>",
                    "<p>You don't have to write a licence yourself, and you shouldn't. An "
                    "existing licence is known and tested.</p>",
                ),
            ),
            law(
                ("Auteursrecht op software", "Copyright in software"),
                ("Auteurswet, art. 1 en 10", "Dutch Copyright Act, art. 1 and 10"),
                AUTEURSWET_URL,
                (
                    "<p>Computerprogramma's vallen onder het auteursrecht. Alleen de maker mag "
                    "ze verveelvoudigen en openbaar maken; een licentie geeft anderen die "
                    "rechten.</p>",
                    "<p>Computer programs are protected by copyright. Only the author may copy "
                    "and publish them; a licence gives others those rights.</p>",
                ),
            ),
            checklist(
                ("Licentie geregeld", "Licence sorted"),
                [
                    ("Licentie gekozen (meestal EUPL-1.2)", "Licence chosen (usually EUPL-1.2)"),
                    ("LICENSE-bestand in de hoofdmap", "LICENSE file in the root folder"),
                    (
                        "SPDX-regel bovenaan de bronbestanden",
                        "SPDX line at the top of source files",
                    ),
                    ("Licenties van afhankelijkheden gecontroleerd", "Dependency licences checked"),
                ],
            ),
            links(
                ("Hulpmiddelen", "Tools"),
                [
                    page_link(LICENCE_CHOOSER_SLUG),
                    url_link(
                        "https://interoperable-europe.ec.europa.eu/collection/eupl",
                        ("De EUPL bij Interoperable Europe", "The EUPL at Interoperable Europe"),
                    ),
                    url_link(
                        "https://spdx.org/licenses/",
                        ("De SPDX-licentielijst", "The SPDX licence list"),
                    ),
                ],
            ),
        ],
    },
    {
        "section": "voorbereiden",
        "slug": "repository-opschonen",
        "title": (
            "Je repository opschonen: geen geheimen, geen persoonsgegevens",
            "Cleaning your repository: no secrets, no personal data",
        ),
        "summary": (
            "Wachtwoorden, sleutels en persoonsgegevens horen niet in openbare code, ook niet "
            "in de geschiedenis. Zo vind en verwijder je ze.",
            "Passwords, keys and personal data do not belong in public code, not even in its "
            "history. How to find and remove them.",
        ),
        "topics": ["beveiliging", "privacy"],
        "phases": [],
        "owner": PRIVACY_OFFICER,
        "team": TEAM_PRIVACY,
        "reviewed": 8,  # overdue: reviewed every six months
        "interval": 6,
        "body": [
            text(
                (
                    "<p>Git onthoudt alles. Een wachtwoord dat je twee jaar geleden verwijderde, "
                    "staat nog in een oude commit. Maak je de repository openbaar, dan kan "
                    "iedereen het vinden. Kijk daarom naar de hele geschiedenis, niet alleen "
                    "naar de huidige code.</p>",
                    "<p>Git remembers everything. A password you removed two years ago is still "
                    "in an old commit. Make the repository public and anyone can find it. So "
                    "look at the whole history, not just the current code.</p>",
                )
            ),
            heading(("Wat zoek je?", "What are you looking for?")),
            text(
                (
                    "<ul><li>Wachtwoorden, API-sleutels, tokens en certificaten</li><li>Namen "
                    "van interne servers en IP-adressen</li><li>Persoonsgegevens in testdata, "
                    "dumps en logbestanden</li><li>Commentaar dat je niet in de krant wilt "
                    "lezen</li></ul>",
                    "<ul><li>Passwords, API keys, tokens and certificates</li><li>Names of "
                    "internal servers and IP addresses</li><li>Personal data in test data, "
                    "dumps and log files</li><li>Comments you would not want to read in the "
                    "newspaper</li></ul>",
                )
            ),
            steps(
                ("Zo schoon je op", "How to clean up"),
                [
                    (
                        ("Scan de hele geschiedenis", "Scan the whole history"),
                        (
                            "<p>Gebruik een scanner voor geheimen, zoals gitleaks of "
                            "trufflehog, op alle commits en branches.</p>",
                            "<p>Run a secret scanner such as gitleaks or trufflehog on all "
                            "commits and branches.</p>",
                        ),
                    ),
                    (
                        ("Vervang wat je vindt", "Replace what you find"),
                        (
                            "<p>Zie elke gevonden sleutel als gelekt: maak een nieuwe en zet de "
                            "oude uit.</p>",
                            "<p>Treat every key you find as leaked: create a new one and revoke "
                            "the old one.</p>",
                        ),
                    ),
                    (
                        ("Verplaats instellingen", "Move settings out"),
                        (
                            "<p>Lees geheimen uit omgevingsvariabelen of een kluis, nooit uit de "
                            "code.</p>",
                            "<p>Read secrets from environment variables or a vault, never from "
                            "the code.</p>",
                        ),
                    ),
                    (
                        (
                            "Begin zo nodig met een schone geschiedenis",
                            "Start with a clean history if needed",
                        ),
                        (
                            "<p>Is de geschiedenis niet te redden, publiceer dan de huidige "
                            "stand als eerste commit van een nieuwe repository.</p>",
                            "<p>If the history cannot be saved, publish the current state as "
                            "the first commit of a new repository.</p>",
                        ),
                    ),
                    (
                        ("Zet een scanner in je pijplijn", "Put a scanner in your pipeline"),
                        (
                            "<p>Zo komt er ook later niets meer bij.</p>",
                            "<p>So nothing slips in later either.</p>",
                        ),
                    ),
                ],
            ),
            callout(
                "warning",
                ("Verwijderen is niet genoeg", "Deleting is not enough"),
                (
                    "<p>Een sleutel die ooit openbaar was, blijft gelekt. Ook als je de commit "
                    "herschrijft: iemand kan hem al gekopieerd hebben.</p>",
                    "<p>A key that was ever public stays leaked. Even if you rewrite the commit, "
                    "someone may already have copied it.</p>",
                ),
            ),
            callout(
                "law",
                ("Namen in de commitgeschiedenis", "Names in the commit history"),
                (
                    "<p>Namen en e-mailadressen van medewerkers in commits zijn "
                    "persoonsgegevens. Vertel je team dat die zichtbaar worden, en laat mensen "
                    "zo nodig een werk- of no-reply-adres gebruiken.</p>",
                    "<p>Names and e-mail addresses of staff in commits are personal data. Tell "
                    "your team they will become visible, and let people use a work or no-reply "
                    "address if they prefer.</p>",
                ),
            ),
            law(
                ("Privacy by design", "Privacy by design"),
                ("AVG, art. 25", "GDPR, art. 25"),
                AVG_URL,
                (
                    "<p>Je neemt al bij het ontwerp maatregelen om persoonsgegevens te "
                    "beschermen. Echte persoonsgegevens in testdata passen daar niet bij: "
                    "gebruik verzonnen gegevens.</p>",
                    "<p>You protect personal data from the design onward. Real personal data in "
                    "test data do not fit: use made-up data.</p>",
                ),
            ),
            download(
                (
                    "De controlelijst 'klaar om te publiceren' om uit te printen of in je "
                    "repository te zetten",
                    "The 'ready to publish' checklist, to print or to put in your repository",
                )
            ),
            checklist(
                ("Repository schoon", "Repository clean"),
                [
                    ("Hele geschiedenis gescand op geheimen", "Whole history scanned for secrets"),
                    (
                        "Gevonden sleutels vervangen en ingetrokken",
                        "Keys found have been replaced and revoked",
                    ),
                    (
                        "Geen persoonsgegevens in testdata of logbestanden",
                        "No personal data in test data or log files",
                    ),
                    (
                        "Team weet dat namen in commits zichtbaar worden",
                        "Team knows names in commits become visible",
                    ),
                    ("Scanner draait in de pijplijn", "Scanner runs in the pipeline"),
                ],
            ),
        ],
    },
    {
        "section": "voorbereiden",
        "slug": "readme-en-contributing",
        "title": ("Een README en CONTRIBUTING schrijven", "Writing a README and CONTRIBUTING"),
        "summary": (
            "De README is de voordeur van je project. Met CONTRIBUTING laat je zien dat "
            "bijdragen welkom zijn en hoe.",
            "The README is your project's front door. CONTRIBUTING shows that contributions are "
            "welcome, and how.",
        ),
        "topics": ["community"],
        "phases": [Phase.COLLABORATING],
        "owner": DEVELOPER,
        "team": TEAM_DEV,
        "reviewed": 1,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Wie je repository opent, leest eerst de README. In een minuut moet "
                    "duidelijk zijn wat het is, voor wie, en hoe je begint. Schrijf voor een "
                    "collega van een andere organisatie die je project nog niet kent.</p>",
                    "<p>Anyone opening your repository reads the README first. Within a minute "
                    "it should be clear what it is, who it is for, and how to start. Write for a "
                    "colleague at another organisation who doesn't know your project yet.</p>",
                )
            ),
            heading(("Wat staat er in de README?", "What goes in the README?")),
            steps(
                ("De README, van boven naar beneden", "The README, top to bottom"),
                [
                    (
                        ("Naam en één zin", "Name and one sentence"),
                        ("<p>Wat doet het, voor wie?</p>", "<p>What does it do, for whom?</p>"),
                    ),
                    (
                        ("Status", "Status"),
                        (
                            "<p>Experiment, in gebruik of uitgefaseerd?</p>",
                            "<p>Experiment, in use or being phased out?</p>",
                        ),
                    ),
                    (
                        ("Installeren en starten", "Install and start"),
                        (
                            "<p>De kortste weg naar een werkende versie, met de commando's.</p>",
                            "<p>The shortest path to a working version, with the commands.</p>",
                        ),
                    ),
                    (
                        ("Wie onderhoudt het", "Who maintains it"),
                        (
                            "<p>Organisatie en een algemeen contactadres, geen persoonlijk "
                            "adres.</p>",
                            "<p>Organisation and a shared contact address, not a personal one.</p>",
                        ),
                    ),
                    (
                        ("Licentie", "Licence"),
                        ("<p>Met een link naar LICENSE.</p>", "<p>With a link to LICENSE.</p>"),
                    ),
                ],
            ),
            heading(("CONTRIBUTING", "CONTRIBUTING")),
            text(
                (
                    "<p>In CONTRIBUTING leg je uit hoe iemand een fout meldt, een wijziging "
                    "voorstelt en hoe jullie die beoordelen. Noem ook de gedragscode en hoe "
                    "snel iemand een reactie kan verwachten.</p>",
                    "<p>CONTRIBUTING explains how someone reports a bug, proposes a change and "
                    "how you review it. Also mention the code of conduct and how soon someone "
                    "can expect a reply.</p>",
                )
            ),
            callout(
                "tip",
                ("Schrijf in de taal van je gebruikers", "Write in your users' language"),
                (
                    "<p>Gebruiken vooral Nederlandse gemeenten je software? Dan is een "
                    "Nederlandse README prima. Hoop je op Europese hergebruikers, schrijf dan "
                    "(ook) in het Engels.</p>",
                    "<p>Mostly Dutch municipalities using your software? A Dutch README is fine. "
                    "Hoping for reuse across Europe? Write in English (too).</p>",
                ),
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        (
                            "Moeten we elke bijdrage accepteren?",
                            "Do we have to accept every contribution?",
                        ),
                        (
                            "<p>Nee. Jullie bepalen de koers. Leg in CONTRIBUTING uit waar je "
                            "wel en niet op zit te wachten, dan weet iedereen waar hij aan "
                            "toe is.</p>",
                            "<p>No. You set the course. Explain in CONTRIBUTING what you do and "
                            "don't want, so everyone knows where they stand.</p>",
                        ),
                    ),
                    (
                        ("Hebben we een gedragscode nodig?", "Do we need a code of conduct?"),
                        (
                            "<p>Ja, houd hem kort. Veel projecten gebruiken de Contributor "
                            "Covenant.</p>",
                            "<p>Yes, keep it short. Many projects use the Contributor "
                            "Covenant.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Documentatie klaar", "Documentation ready"),
                [
                    (
                        "README met doel, status, starten, beheerder en licentie",
                        "README with purpose, status, getting started, maintainer and licence",
                    ),
                    (
                        "CONTRIBUTING met hoe je meldt en bijdraagt",
                        "CONTRIBUTING with how to report and contribute",
                    ),
                    ("Gedragscode toegevoegd", "Code of conduct added"),
                    (
                        "Een collega van buiten het team heeft de README getest",
                        "A colleague outside the team tested the README",
                    ),
                ],
            ),
            links(
                ("Verder", "Next"),
                [page_link("beveiligingscheck"), page_link("publiccode-yml-schrijven")],
            ),
        ],
    },
    {
        "section": "voorbereiden",
        "slug": "beveiligingscheck",
        "title": ("Een beveiligingscheck voor publicatie", "A security review before publishing"),
        "summary": (
            "Laat voor de publicatie iemand met verstand van beveiliging meekijken. Waar let je "
            "op, en wat zet je klaar voor later?",
            "Before publishing, have someone who knows security take a look. What to check, and "
            "what to set up for later?",
        ),
        "topics": ["beveiliging"],
        "phases": [Phase.MAINTAINING],
        "owner": DEVELOPER,
        "team": TEAM_DEV,
        "reviewed": 4,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Openbare code wordt gelezen, ook door mensen met slechte bedoelingen. "
                    "Dat is geen reden om dicht te blijven, wel om goed te kijken voordat je "
                    "publiceert. Vraag je CISO of securityadviseur om mee te doen.</p>",
                    "<p>Public code gets read, also by people with bad intentions. That is no "
                    "reason to stay closed, but it is a reason to look carefully before you "
                    "publish. Ask your CISO or security adviser to join in.</p>",
                )
            ),
            heading(("Waar kijk je naar?", "What do you look at?")),
            text(
                (
                    "<ul><li>Zijn de afhankelijkheden bijgewerkt en zonder bekende "
                    "kwetsbaarheden?</li><li>Staan er geen geheimen meer in de code?</li><li>"
                    "Hangt de beveiliging af van instellingen, niet van geheimhouding van de "
                    "code?</li><li>Is er een duidelijke manier om kwetsbaarheden te melden?"
                    "</li></ul>",
                    "<ul><li>Are dependencies up to date and free of known vulnerabilities?"
                    "</li><li>Are there no secrets left in the code?</li><li>Does security "
                    "depend on settings, not on keeping the code secret?</li><li>Is there a "
                    "clear way to report vulnerabilities?</li></ul>",
                )
            ),
            callout(
                "warning",
                ("Geen beveiliging door geheimhouding", "No security through obscurity"),
                (
                    "<p>Werkt je beveiliging alleen zolang niemand de code kent? Los dat eerst "
                    "op. Aanvallers kunnen gesloten software ook onderzoeken.</p>",
                    "<p>Does your security only work as long as nobody knows the code? Fix that "
                    "first. Attackers can study closed software too.</p>",
                ),
            ),
            law(
                (
                    "Baseline Informatiebeveiliging Overheid",
                    "Government Information Security Baseline",
                ),
                ("BIO", "BIO (Baseline Informatiebeveiliging Overheid)"),
                "",
                (
                    "<p>Het gemeenschappelijke normenkader voor informatiebeveiliging van alle "
                    "overheidslagen. Open source verandert niets aan die normen; het maakt ze "
                    "zichtbaar.</p>",
                    "<p>The common information security framework for all layers of Dutch "
                    "government. Open source does not change those norms; it makes them "
                    "visible.</p>",
                ),
            ),
            checklist(
                ("Beveiliging nagekeken", "Security reviewed"),
                [
                    (
                        "Afhankelijkheden gescand op bekende kwetsbaarheden",
                        "Dependencies scanned for known vulnerabilities",
                    ),
                    ("Geheimen verwijderd en vervangen", "Secrets removed and replaced"),
                    (
                        "SECURITY.md met een meldadres toegevoegd",
                        "SECURITY.md with a reporting address added",
                    ),
                    (
                        "CISO of securityadviseur heeft meegekeken",
                        "CISO or security adviser has reviewed",
                    ),
                    (
                        "Automatische updates van afhankelijkheden aangezet",
                        "Automatic dependency updates switched on",
                    ),
                ],
            ),
            links(
                ("Verder", "Next"),
                [page_link("issues-en-meldingen"), page_link("repository-opschonen")],
            ),
        ],
    },
    # --- publishing -------------------------------------------------------------------------
    {
        "section": "publiceren",
        "slug": "platform-kiezen",
        "title": ("Een platform kiezen", "Choosing a platform"),
        "summary": (
            "Op welk platform zet je de code: code.overheid.nl, GitHub of GitLab? En hoe komt "
            "je project in het overzicht van developer.overheid.nl?",
            "Which platform do you put the code on: code.overheid.nl, GitHub or GitLab? And how "
            "does your project get listed on developer.overheid.nl?",
        ),
        "topics": ["community", "beleid"],
        "phases": [],
        "owner": COMMUNITY_MANAGER,
        "team": TEAM_OSPO,
        "reviewed": 1,
        "interval": 6,
        "body": [
            text(
                (
                    "<p>Je code heeft een thuis nodig: een Git-platform waar anderen hem kunnen "
                    "vinden, downloaden en verbeteren. Kijk eerst of je organisatie al een "
                    "account of afspraken heeft; dan hoef je niets zelf te regelen.</p>",
                    "<p>Your code needs a home: a Git platform where others can find, download "
                    "and improve it. First check whether your organisation already has an "
                    "account or arrangements; then there is nothing to set up yourself.</p>",
                )
            ),
            heading(("De mogelijkheden", "The options")),
            text(
                (
                    "<ul><li><b>code.overheid.nl</b>: een Git-platform van de overheid zelf, "
                    "gebouwd op de open-sourcesoftware Forgejo. Het is nieuw en nog niet voor "
                    "elke organisatie open; vraag je open-sourceteam.</li><li><b>GitHub</b>: de "
                    "grootste gemeenschap, dus de meeste kans op hergebruik en bijdragen.</li>"
                    "<li><b>GitLab</b>: op gitlab.com of op een eigen server van je "
                    "organisatie.</li></ul>",
                    "<ul><li><b>code.overheid.nl</b>: a Git platform run by the Dutch "
                    "government itself, built on the open-source software Forgejo. It is new and "
                    "not yet open to every organisation; ask your open-source team.</li><li>"
                    "<b>GitHub</b>: the largest community, so the best chance of reuse and "
                    "contributions.</li><li><b>GitLab</b>: on gitlab.com or on your "
                    "organisation's own server.</li></ul>",
                )
            ),
            heading(("Gevonden worden", "Being found")),
            text(
                (
                    "<p>developer.overheid.nl toont open-sourceprojecten van Nederlandse "
                    "overheden. Zorg dat het account van je organisatie daar bekend is en zet "
                    "een publiccode.yml in je repository, dan is je project beter te vinden.</p>",
                    "<p>developer.overheid.nl lists open-source projects of Dutch governments. "
                    "Make sure your organisation's account is known there and put a "
                    "publiccode.yml in your repository, so your project is easier to find.</p>",
                )
            ),
            callout(
                "tip",
                ("Eén organisatieaccount", "One organisation account"),
                (
                    "<p>Publiceer onder het account van je organisatie, niet onder je eigen "
                    "naam. Dan blijft het project vindbaar als jij van baan wisselt.</p>",
                    "<p>Publish under your organisation's account, not your own name. Then the "
                    "project stays findable when you change jobs.</p>",
                ),
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        ("Mag ik GitHub gebruiken?", "May I use GitHub?"),
                        (
                            "<p>Dat hangt af van het beleid van je organisatie. Sommige "
                            "organisaties kiezen bewust voor een platform onder eigen beheer, om "
                            "minder afhankelijk te zijn van buitenlandse diensten.</p>",
                            "<p>That depends on your organisation's policy. Some organisations "
                            "deliberately choose a platform under their own control, to depend "
                            "less on foreign services.</p>",
                        ),
                    ),
                    (
                        ("Kan ik later verhuizen?", "Can I move later?"),
                        (
                            "<p>Ja, de code en de geschiedenis verhuizen makkelijk mee. Issues "
                            "en discussies zijn lastiger: kies dus met zorg.</p>",
                            "<p>Yes, code and history move easily. Issues and discussions are "
                            "harder: so choose with care.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Platform geregeld", "Platform sorted"),
                [
                    (
                        "Platform gekozen, in lijn met het beleid van mijn organisatie",
                        "Platform chosen, in line with my organisation's policy",
                    ),
                    (
                        "Repository staat onder het organisatieaccount",
                        "Repository is under the organisation account",
                    ),
                    (
                        "Minstens twee beheerders met tweestapsverificatie",
                        "At least two administrators with two-factor authentication",
                    ),
                    (
                        "Organisatie bekend bij developer.overheid.nl",
                        "Organisation known to developer.overheid.nl",
                    ),
                ],
            ),
            links(
                ("Links", "Links"),
                [
                    url_link(
                        "https://developer.overheid.nl",
                        ("developer.overheid.nl", "developer.overheid.nl"),
                    ),
                    page_link("publiccode-yml-schrijven"),
                ],
            ),
        ],
    },
    {
        "section": "publiceren",
        "slug": "publiccode-yml-schrijven",
        "title": ("publiccode.yml schrijven", "Writing publiccode.yml"),
        "summary": (
            "Een klein bestand dat je software beschrijft, zodat andere overheden hem vinden en "
            "begrijpen. Met de hulp in deze toolbox maak je het in een paar minuten.",
            "A small file describing your software, so other governments find and understand "
            "it. With the helper in this toolbox you make it in minutes.",
        ),
        "topics": ["community"],
        "phases": [Phase.MAINTAINING],
        "owner": DEVELOPER,
        "team": TEAM_DEV,
        "reviewed": 2,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>publiccode.yml is een open standaard om software van de overheid te "
                    "beschrijven: wat het doet, wie het onderhoudt, onder welke licentie en in "
                    "welke talen. Catalogi van overheden lezen het bestand, zodat je project "
                    "daar vanzelf verschijnt.</p>",
                    "<p>publiccode.yml is an open standard for describing government software: "
                    "what it does, who maintains it, under which licence and in which languages. "
                    "Government catalogues read the file, so your project shows up there by "
                    "itself.</p>",
                )
            ),
            heading(("Wat staat erin?", "What goes in it?")),
            text(
                (
                    "<ul><li>naam, URL van de repository en de versie</li><li>een korte en een "
                    "lange beschrijving, per taal</li><li>de licentie (als SPDX-code, "
                    "bijvoorbeeld EUPL-1.2)</li><li>hoe het onderhoud geregeld is en met wie je "
                    "contact opneemt</li><li>de ontwikkelstatus, zoals beta of stable</li></ul>",
                    "<ul><li>name, repository URL and version</li><li>a short and a long "
                    "description, per language</li><li>the licence (as an SPDX identifier, e.g. "
                    "EUPL-1.2)</li><li>how maintenance is arranged and whom to contact</li><li>"
                    "the development status, such as beta or stable</li></ul>",
                )
            ),
            steps(
                ("Zo maak je het bestand", "How to create the file"),
                [
                    (
                        ("Open de publiccode.yml-hulp", "Open the publiccode.yml helper"),
                        (
                            "<p>Vul het formulier in; alles wat verplicht is, staat erbij.</p>",
                            "<p>Fill in the form; everything required is marked.</p>",
                        ),
                    ),
                    (
                        ("Download het bestand", "Download the file"),
                        (
                            "<p>Zet het in de hoofdmap van je repository.</p>",
                            "<p>Put it in the root folder of your repository.</p>",
                        ),
                    ),
                    (
                        ("Controleer het", "Check it"),
                        (
                            "<p>Plak het in de controle van de hulp. Houd het bij bij elke "
                            "nieuwe versie.</p>",
                            "<p>Paste it into the helper's checker. Update it with every new "
                            "release.</p>",
                        ),
                    ),
                ],
            ),
            callout(
                "tip",
                ("Schrijf voor beleidsmakers", "Write for policy makers"),
                (
                    "<p>Wie in een catalogus zoekt, is vaak geen ontwikkelaar. Beschrijf dus wat "
                    "de software voor een organisatie doet, niet hoe hij gebouwd is.</p>",
                    "<p>People searching a catalogue are often not developers. So describe what "
                    "the software does for an organisation, not how it is built.</p>",
                ),
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        ("Is publiccode.yml verplicht?", "Is publiccode.yml mandatory?"),
                        (
                            "<p>Niet bij wet, maar het wordt sterk aangeraden. Het kost weinig "
                            "en helpt hergebruik.</p>",
                            "<p>Not by law, but it is strongly recommended. It costs little and "
                            "helps reuse.</p>",
                        ),
                    ),
                    (
                        ("In welke taal schrijf ik?", "Which language do I write in?"),
                        (
                            "<p>De beschrijving mag in meerdere talen. Begin met Nederlands en "
                            "voeg Engels toe als je op Europees hergebruik hoopt.</p>",
                            "<p>The description can be in several languages. Start with Dutch "
                            "and add English if you hope for reuse across Europe.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("publiccode.yml klaar", "publiccode.yml ready"),
                [
                    ("Bestand gemaakt met de hulp", "File created with the helper"),
                    ("Bestand staat in de hoofdmap", "File is in the root folder"),
                    ("Controle geeft geen fouten", "Check shows no errors"),
                    (
                        "Bijwerken staat in de releasechecklist",
                        "Updating it is part of the release checklist",
                    ),
                ],
            ),
            links(
                ("Hulpmiddelen", "Tools"),
                [
                    page_link(PUBLICCODE_TOOL_SLUG),
                    url_link(
                        "https://yml.publiccode.tools",
                        ("De standaard publiccode.yml", "The publiccode.yml standard"),
                    ),
                ],
            ),
        ],
    },
    {
        "section": "publiceren",
        "slug": "project-aankondigen",
        "title": ("Je project aankondigen", "Announcing your project"),
        "summary": (
            "Code die niemand kent, wordt niet hergebruikt. Vertel wie er iets aan heeft dat je "
            "project bestaat.",
            "Code nobody knows about does not get reused. Tell the people who can use it that "
            "your project exists.",
        ),
        "topics": ["community"],
        "phases": [Phase.COLLABORATING],
        "owner": COMMUNITY_MANAGER,
        "team": TEAM_OSPO,
        "reviewed": 5,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Publiceren is iets anders dan gevonden worden. Een korte, goede "
                    "aankondiging bij de juiste mensen doet meer dan een grote campagne.</p>",
                    "<p>Publishing is not the same as being found. A short, good announcement "
                    "to the right people does more than a big campaign.</p>",
                )
            ),
            heading(("Waar kondig je aan?", "Where do you announce it?")),
            text(
                (
                    "<ul><li>In de groep 'Open source in de overheid' hier op Meent</li><li>Bij "
                    "koepels en netwerken, zoals de VNG voor gemeenten</li><li>Op het intranet "
                    "en de website van je organisatie</li><li>Op bijeenkomsten en in "
                    "nieuwsbrieven van je vakgebied</li></ul>",
                    "<ul><li>In the 'Open source in de overheid' group here on Meent</li><li>With "
                    "umbrella organisations and networks, such as the VNG for municipalities"
                    "</li><li>On your organisation's intranet and website</li><li>At events and "
                    "in newsletters of your field</li></ul>",
                )
            ),
            steps(
                ("Een goede aankondiging", "A good announcement"),
                [
                    (
                        ("Begin met het probleem", "Start with the problem"),
                        (
                            "<p>Welk probleem lost het op, voor wie?</p>",
                            "<p>What problem does it solve, for whom?</p>",
                        ),
                    ),
                    (
                        ("Laat het zien", "Show it"),
                        (
                            "<p>Een schermafbeelding of korte demo zegt meer dan tekst.</p>",
                            "<p>A screenshot or short demo says more than text.</p>",
                        ),
                    ),
                    (
                        ("Nodig uit", "Invite people"),
                        (
                            "<p>Zeg wat voor hulp je zoekt: testers, hergebruikers, "
                            "meebouwers.</p>",
                            "<p>Say what help you want: testers, reusers, co-builders.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Aangekondigd", "Announced"),
                [
                    (
                        "Bericht geplaatst in de groep op Meent",
                        "Message posted in the group on Meent",
                    ),
                    ("Koepel of netwerk ingelicht", "Umbrella organisation or network told"),
                    ("Contactadres staat in de README", "Contact address is in the README"),
                ],
            ),
            links(
                ("Verder", "Next"),
                [page_link("community-opbouwen"), page_link("samenwerken-met-andere-overheden")],
            ),
        ],
    },
    # --- maintaining ------------------------------------------------------------------------
    {
        "section": "onderhouden",
        "slug": "issues-en-meldingen",
        "title": (
            "Issues en beveiligingsmeldingen afhandelen",
            "Handling issues and security reports",
        ),
        "summary": (
            "Vragen, foutmeldingen en soms een kwetsbaarheid: zo houd je het overzicht en "
            "reageer je op tijd.",
            "Questions, bug reports and sometimes a vulnerability: how to keep track and reply "
            "in time.",
        ),
        "topics": ["beveiliging", "community"],
        "phases": [],
        "owner": DEVELOPER,
        "team": TEAM_DEV,
        "reviewed": 3,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Een issue is een cadeau: iemand nam de moeite om je te helpen. Reageer "
                    "snel, ook als je het probleem nog niet kunt oplossen. Een kort 'dank, we "
                    "kijken ernaar' houdt mensen betrokken.</p>",
                    "<p>An issue is a gift: someone took the trouble to help you. Reply quickly, "
                    "even if you can't fix the problem yet. A short 'thanks, we're looking into "
                    "it' keeps people involved.</p>",
                )
            ),
            heading(("Gewone issues", "Ordinary issues")),
            text(
                (
                    "<p>Spreek af wie de nieuwe issues bekijkt en hoe vaak, bijvoorbeeld elke "
                    "week. Gebruik labels voor soort en prioriteit en sluit af met uitleg.</p>",
                    "<p>Agree who looks at new issues and how often, for example every week. Use "
                    "labels for type and priority, and close with an explanation.</p>",
                )
            ),
            heading(("Kwetsbaarheden", "Vulnerabilities")),
            steps(
                ("Een melding van een kwetsbaarheid", "A vulnerability report"),
                [
                    (
                        ("Ontvang de melding besloten", "Receive the report privately"),
                        (
                            "<p>Via het adres in SECURITY.md of security.txt, niet in een "
                            "openbaar issue.</p>",
                            "<p>Through the address in SECURITY.md or security.txt, not in a "
                            "public issue.</p>",
                        ),
                    ),
                    (
                        ("Bevestig binnen een paar dagen", "Confirm within a few days"),
                        (
                            "<p>Bedank de melder en zeg wat de volgende stap is.</p>",
                            "<p>Thank the reporter and say what the next step is.</p>",
                        ),
                    ),
                    (
                        ("Los op en test", "Fix and test"),
                        (
                            "<p>Betrek je CISO en houd de melder op de hoogte.</p>",
                            "<p>Involve your CISO and keep the reporter informed.</p>",
                        ),
                    ),
                    (
                        ("Publiceer de oplossing", "Publish the fix"),
                        (
                            "<p>Breng een nieuwe versie uit, vertel gebruikers dat ze moeten "
                            "bijwerken en noem de melder als die dat wil.</p>",
                            "<p>Release a new version, tell users to update and credit the "
                            "reporter if they wish.</p>",
                        ),
                    ),
                ],
            ),
            callout(
                "warning",
                ("Nooit in een openbaar issue", "Never in a public issue"),
                (
                    "<p>Vraag in je issue-sjabloon om kwetsbaarheden niet openbaar te melden. "
                    "Staat er toch een, maak hem dan zo snel mogelijk besloten.</p>",
                    "<p>Ask in your issue template not to report vulnerabilities publicly. If "
                    "one appears anyway, make it private as soon as possible.</p>",
                ),
            ),
            law(
                ("Coordinated Vulnerability Disclosure", "Coordinated Vulnerability Disclosure"),
                ("Leidraad CVD van het NCSC", "NCSC guideline on CVD"),
                "",
                (
                    "<p>De Nederlandse aanpak voor het samen met de melder oplossen en daarna "
                    "openbaar maken van kwetsbaarheden. Publiceer een CVD-beleid, zodat melders "
                    "weten wat ze van je mogen verwachten.</p>",
                    "<p>The Dutch approach for fixing vulnerabilities together with the reporter "
                    "and disclosing them afterwards. Publish a CVD policy, so reporters know "
                    "what to expect from you.</p>",
                ),
            ),
            checklist(
                ("Meldingen geregeld", "Reports sorted"),
                [
                    (
                        "Iemand bekijkt elke week de nieuwe issues",
                        "Someone looks at new issues every week",
                    ),
                    (
                        "SECURITY.md met een besloten meldadres",
                        "SECURITY.md with a private reporting address",
                    ),
                    (
                        "CVD-beleid van de organisatie gelinkt",
                        "The organisation's CVD policy is linked",
                    ),
                    (
                        "Issue-sjabloon vraagt om kwetsbaarheden besloten te melden",
                        "Issue template asks to report vulnerabilities privately",
                    ),
                ],
            ),
            links(
                ("Links", "Links"),
                [
                    url_link("https://securitytxt.org", ("security.txt", "security.txt")),
                    page_link("beveiligingscheck"),
                ],
            ),
        ],
    },
    {
        "section": "onderhouden",
        "slug": "releases-en-versies",
        "title": ("Releases en versienummers", "Releases and version numbers"),
        "summary": (
            "Met duidelijke versies en een changelog weten gebruikers wat er veranderd is en of "
            "bijwerken veilig is.",
            "With clear versions and a changelog, users know what changed and whether "
            "updating is safe.",
        ),
        "topics": ["community"],
        "phases": [],
        "owner": DEVELOPER,
        "team": TEAM_DEV,
        "reviewed": 6,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Een organisatie die jouw software hergebruikt, wil weten wat een nieuwe "
                    "versie betekent. Gebruik daarom versienummers met een vaste betekenis en "
                    "houd een changelog bij.</p>",
                    "<p>An organisation reusing your software wants to know what a new version "
                    "means. So use version numbers with a fixed meaning and keep a "
                    "changelog.</p>",
                )
            ),
            heading(("Semantische versies", "Semantic versioning")),
            text(
                (
                    "<p>Een versienummer heeft drie delen: <b>2.4.1</b>. Het eerste getal gaat "
                    "omhoog als iets niet meer werkt zoals voorheen, het tweede bij nieuwe "
                    "functies, het derde bij oplossingen van fouten.</p>",
                    "<p>A version number has three parts: <b>2.4.1</b>. The first goes up when "
                    "something no longer works as before, the second for new features, the "
                    "third for bug fixes.</p>",
                )
            ),
            steps(
                ("Een release uitbrengen", "Making a release"),
                [
                    (
                        ("Werk de changelog bij", "Update the changelog"),
                        (
                            "<p>Schrijf in gewone taal wat er nieuw, anders en opgelost is.</p>",
                            "<p>Write in plain language what is new, changed and fixed.</p>",
                        ),
                    ),
                    (
                        ("Verhoog het versienummer", "Bump the version number"),
                        (
                            "<p>Ook in publiccode.yml (softwareVersion en releaseDate).</p>",
                            "<p>Also in publiccode.yml (softwareVersion and releaseDate).</p>",
                        ),
                    ),
                    (
                        ("Maak een tag en een release", "Create a tag and a release"),
                        (
                            "<p>Op je Git-platform, met de changelog erbij.</p>",
                            "<p>On your Git platform, with the changelog attached.</p>",
                        ),
                    ),
                ],
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        ("Hoe vaak breng ik een release uit?", "How often should I release?"),
                        (
                            "<p>Liever vaak en klein dan zelden en groot. Een vast ritme, zoals "
                            "elk kwartaal, helpt hergebruikers plannen.</p>",
                            "<p>Better often and small than rarely and big. A fixed rhythm, such "
                            "as every quarter, helps reusers plan.</p>",
                        ),
                    ),
                    (
                        ("Wat is een LTS-versie?", "What is an LTS version?"),
                        (
                            "<p>Een versie die je langer van beveiligingsupdates voorziet. "
                            "Handig als organisaties niet snel kunnen bijwerken.</p>",
                            "<p>A version you keep supplying with security updates for longer. "
                            "Useful when organisations cannot update quickly.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Releaseklaar", "Release ready"),
                [
                    ("Changelog bijgewerkt", "Changelog updated"),
                    (
                        "Versienummer verhoogd, ook in publiccode.yml",
                        "Version bumped, also in publiccode.yml",
                    ),
                    ("Tag en release aangemaakt", "Tag and release created"),
                    (
                        "Hergebruikers ingelicht bij een grote wijziging",
                        "Reusers told about a major change",
                    ),
                ],
            ),
            links(
                ("Links", "Links"),
                [
                    url_link("https://semver.org", ("Semantic Versioning", "Semantic Versioning")),
                    url_link(
                        "https://keepachangelog.com", ("Keep a Changelog", "Keep a Changelog")
                    ),
                ],
            ),
        ],
    },
    {
        "section": "onderhouden",
        "slug": "project-archiveren",
        "title": ("Een project archiveren", "Archiving a project"),
        "summary": (
            "Niet elk project leeft eeuwig. Zo stop je netjes, zodat niemand verrast wordt en "
            "anderen verder kunnen.",
            "Not every project lives forever. How to stop properly, so nobody is surprised and "
            "others can carry on.",
        ),
        "topics": ["community", "beleid"],
        "phases": [],
        "owner": COMMUNITY_MANAGER,
        "team": TEAM_OSPO,
        "reviewed": 2,
        "interval": 24,
        "body": [
            text(
                (
                    "<p>Soms stopt een project: het is vervangen, het budget is op of niemand "
                    "gebruikt het meer. Stoppen is geen mislukking, als je het netjes doet. "
                    "Verwijder de code niet: andere organisaties gebruiken hem misschien nog.</p>",
                    "<p>Sometimes a project ends: it has been replaced, the budget has run out "
                    "or nobody uses it anymore. Stopping is not a failure, if you do it "
                    "properly. Don't delete the code: other organisations may still use it.</p>",
                )
            ),
            heading(("Zo stop je netjes", "How to stop properly")),
            steps(
                ("Archiveren in vier stappen", "Archiving in four steps"),
                [
                    (
                        ("Kondig het aan", "Announce it"),
                        (
                            "<p>Vertel gebruikers ruim van tevoren wanneer het onderhoud stopt.</p>",
                            "<p>Tell users well in advance when maintenance stops.</p>",
                        ),
                    ),
                    (
                        ("Zoek een nieuwe beheerder", "Look for a new maintainer"),
                        (
                            "<p>Misschien wil een andere organisatie het overnemen.</p>",
                            "<p>Perhaps another organisation wants to take it over.</p>",
                        ),
                    ),
                    (
                        (
                            "Werk de README en publiccode.yml bij",
                            "Update the README and publiccode.yml",
                        ),
                        (
                            "<p>Zet bovenaan de README dat het project niet meer onderhouden "
                            "wordt, en zet de status in publiccode.yml op obsolete.</p>",
                            "<p>State at the top of the README that the project is no longer "
                            "maintained, and set the status in publiccode.yml to obsolete.</p>",
                        ),
                    ),
                    (
                        ("Zet de repository op alleen-lezen", "Make the repository read-only"),
                        (
                            "<p>De meeste platforms hebben daar een knop 'archiveren' voor.</p>",
                            "<p>Most platforms have an 'archive' button for this.</p>",
                        ),
                    ),
                ],
            ),
            law(
                ("Archiefwet", "Public Records Act"),
                ("Archiefwet 1995", "Archiefwet 1995 (Public Records Act)"),
                ARCHIEFWET_URL,
                (
                    "<p>Overheidsinformatie moet je bewaren volgens de regels van de "
                    "Archiefwet. Een gearchiveerde repository op een extern platform is geen "
                    "archief in die zin: vraag je informatiebeheerder hoe je broncode en "
                    "besluiten bewaart.</p>",
                    "<p>Government information must be kept according to the Public Records "
                    "Act. An archived repository on an external platform is not an archive in "
                    "that sense: ask your records manager how to keep source code and "
                    "decisions.</p>",
                ),
            ),
            checklist(
                ("Netjes gestopt", "Stopped properly"),
                [
                    ("Gebruikers op tijd ingelicht", "Users told in time"),
                    ("Gezocht naar een nieuwe beheerder", "Looked for a new maintainer"),
                    (
                        "README en publiccode.yml zeggen dat het project stopt",
                        "README and publiccode.yml say the project has stopped",
                    ),
                    (
                        "Repository gearchiveerd, niet verwijderd",
                        "Repository archived, not deleted",
                    ),
                    ("Informatiebeheerder ingelicht", "Records manager informed"),
                ],
            ),
        ],
    },
    # --- collaborating ----------------------------------------------------------------------
    {
        "section": "samenwerken",
        "slug": "samenwerken-met-andere-overheden",
        "title": ("Samenwerken met andere overheden", "Working with other governments"),
        "summary": (
            "Samen één oplossing bouwen en onderhouden in plaats van ieder voor zich. Zo regel "
            "je de samenwerking en het bestuur.",
            "Building and maintaining one solution together instead of each on their own. How "
            "to arrange the collaboration and its governance.",
        ),
        "topics": ["community", "inkoop", "beleid"],
        "phases": [Phase.MAINTAINING],
        "owner": COMMUNITY_MANAGER,
        "team": TEAM_OSPO,
        "reviewed": 1,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Veel overheden hebben dezelfde taken en dus dezelfde software nodig. "
                    "Als je samen één open-sourceoplossing bouwt, deel je de kosten en het "
                    "onderhoud. Dat vraagt wel heldere afspraken.</p>",
                    "<p>Many governments have the same tasks and so need the same software. "
                    "Building one open-source solution together shares the costs and the "
                    "maintenance. That does require clear agreements.</p>",
                )
            ),
            heading(("Governance: wie beslist?", "Governance: who decides?")),
            text(
                (
                    "<p>Spreek af wie beslist over de koers, wie wijzigingen goedkeurt en hoe "
                    "een nieuwe organisatie kan aansluiten. Schrijf dat op in een GOVERNANCE-"
                    "bestand in de repository. Begin eenvoudig en pas het aan als de groep "
                    "groeit.</p>",
                    "<p>Agree who decides on direction, who approves changes and how a new "
                    "organisation can join. Write it down in a GOVERNANCE file in the "
                    "repository. Start simple and adapt as the group grows.</p>",
                )
            ),
            heading(("Samen inkopen", "Buying together"), "h3"),
            text(
                (
                    "<p>Laat je een leverancier bouwen, leg dan in het contract vast dat de "
                    "code open source wordt onder de EUPL-1.2. Dan kunnen andere overheden hem "
                    "gebruiken en kan een andere leverancier later verder bouwen.</p>",
                    "<p>If you have a supplier build it, state in the contract that the code "
                    "becomes open source under the EUPL-1.2. Then other governments can use it "
                    "and another supplier can continue later.</p>",
                )
            ),
            law(
                ("Interoperable Europe Act", "Interoperable Europe Act"),
                ("Verordening (EU) 2024/903", "Regulation (EU) 2024/903"),
                IEA_URL,
                (
                    "<p>Deze Europese verordening moedigt overheden aan om oplossingen voor "
                    "interoperabiliteit met elkaar te delen en te hergebruiken, bij voorkeur als "
                    "open source.</p>",
                    "<p>This European regulation encourages public bodies to share and reuse "
                    "interoperability solutions with each other, preferably as open source.</p>",
                ),
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        (
                            "Moeten we een stichting of vereniging oprichten?",
                            "Do we need to set up a foundation or association?",
                        ),
                        (
                            "<p>Niet meteen. Een samenwerkingsovereenkomst is vaak genoeg om te "
                            "beginnen. Wordt de groep groot, dan kan een eigen rechtspersoon of "
                            "een bestaande organisatie, zoals de Foundation for Public Code, "
                            "helpen.</p>",
                            "<p>Not right away. A collaboration agreement is often enough to "
                            "start. When the group grows, a legal entity of its own or an "
                            "existing organisation such as the Foundation for Public Code can "
                            "help.</p>",
                        ),
                    ),
                    (
                        ("Wie betaalt het onderhoud?", "Who pays for maintenance?"),
                        (
                            "<p>Spreek een verdeelsleutel af, bijvoorbeeld naar grootte, en zet "
                            "het in de begroting van elke deelnemer.</p>",
                            "<p>Agree on a split, for example by size, and put it in each "
                            "participant's budget.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Samenwerking geregeld", "Collaboration sorted"),
                [
                    ("GOVERNANCE-bestand in de repository", "GOVERNANCE file in the repository"),
                    (
                        "Afspraken over kosten en onderhoud vastgelegd",
                        "Agreements on costs and maintenance recorded",
                    ),
                    (
                        "Open source staat in het contract met de leverancier",
                        "Open source is in the contract with the supplier",
                    ),
                    (
                        "Duidelijk hoe een nieuwe organisatie aansluit",
                        "Clear how a new organisation joins",
                    ),
                ],
            ),
            links(
                ("Links", "Links"),
                [
                    url_link(
                        "https://standard.publiccode.net",
                        ("De Standard for Public Code", "The Standard for Public Code"),
                    ),
                    url_link(
                        "https://interoperable-europe.ec.europa.eu",
                        ("Interoperable Europe", "Interoperable Europe"),
                    ),
                    page_link("community-opbouwen"),
                ],
            ),
        ],
    },
    {
        "section": "samenwerken",
        "slug": "community-opbouwen",
        "title": ("Een community opbouwen", "Building a community"),
        "summary": (
            "Een community komt niet vanzelf. Wat een communitymanager doet en hoe je mensen "
            "laat meedoen.",
            "A community does not appear by itself. What a community manager does and how to "
            "get people involved.",
        ),
        "topics": ["community"],
        "phases": [],
        "owner": COMMUNITY_MANAGER,
        "team": TEAM_OSPO,
        "reviewed": 2,
        "interval": 12,
        "body": [
            text(
                (
                    "<p>Een project met een levendige community blijft langer bestaan: als één "
                    "organisatie afhaakt, gaan de anderen door. Zo'n community groeit als "
                    "mensen zich welkom voelen en zien dat hun bijdrage ertoe doet.</p>",
                    "<p>A project with a lively community lasts longer: when one organisation "
                    "drops out, the others carry on. Such a community grows when people feel "
                    "welcome and see that their contribution matters.</p>",
                )
            ),
            heading(("Wat doet een communitymanager?", "What does a community manager do?")),
            text(
                (
                    "<ul><li>Verwelkomt nieuwe mensen en helpt ze op weg</li><li>Organiseert "
                    "overleg en demo's, bijvoorbeeld elke maand online</li><li>Houdt de "
                    "roadmap zichtbaar en verzamelt wensen</li><li>Let op de toon en grijpt in "
                    "als de gedragscode geschonden wordt</li></ul>",
                    "<ul><li>Welcomes newcomers and helps them get started</li><li>Organises "
                    "meetings and demos, for example monthly online</li><li>Keeps the roadmap "
                    "visible and collects wishes</li><li>Watches the tone and steps in when the "
                    "code of conduct is broken</li></ul>",
                )
            ),
            callout(
                "tip",
                ("Label makkelijke klussen", "Label easy tasks"),
                (
                    "<p>Geef eenvoudige issues een label zoals 'goed eerste issue'. Zo vinden "
                    "nieuwkomers een plek om te beginnen.</p>",
                    "<p>Give simple issues a label such as 'good first issue'. That way "
                    "newcomers find a place to start.</p>",
                ),
            ),
            faq(
                ("Vragen", "Questions"),
                [
                    (
                        ("Hoeveel tijd kost het?", "How much time does it take?"),
                        (
                            "<p>Reken in het begin op een paar uur per week. Dat verdient zich "
                            "terug in bijdragen en hergebruik.</p>",
                            "<p>Count on a few hours a week at first. It pays back in "
                            "contributions and reuse.</p>",
                        ),
                    ),
                    (
                        ("Waar praten we met elkaar?", "Where do we talk?"),
                        (
                            "<p>Op één vaste plek, zoals een groep op Meent, en in de issues. "
                            "Vat besluiten uit overleg altijd samen in de repository.</p>",
                            "<p>In one fixed place, such as a group on Meent, and in the issues. "
                            "Always summarise decisions from meetings in the repository.</p>",
                        ),
                    ),
                ],
            ),
            checklist(
                ("Community op gang", "Community under way"),
                [
                    ("Er is een vaste plek om te praten", "There is a fixed place to talk"),
                    (
                        "Nieuwe mensen krijgen binnen een week antwoord",
                        "Newcomers get a reply within a week",
                    ),
                    ("Issues voor beginners zijn gelabeld", "Beginner issues are labelled"),
                    (
                        "Er is een terugkerend overleg of demo",
                        "There is a recurring meeting or demo",
                    ),
                ],
            ),
            links(
                ("Verder", "Next"),
                [
                    page_link("readme-en-contributing"),
                    page_link("samenwerken-met-andere-overheden"),
                    page_link("open-tenzij"),
                ],
            ),
        ],
    },
]

ARTICLES_BY_SLUG = {spec["slug"]: spec for spec in ARTICLES}


# --- building the tree ----------------------------------------------------------------------


def _people(people):
    """E-mail → user: the demo people given, or looked up (``people=None``)."""
    if people is not None:
        return people
    from meent.accounts.models import User

    emails = {COMMUNITY_MANAGER, POLICY_OFFICER, PRIVACY_OFFICER, DEVELOPER}
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _topics():
    found = {}
    for slug, name, description in TOPICS:
        topic, _ = ToolboxTopic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        found[slug] = topic
    return found


def _documents():
    """The 'ready to publish' checklist as a document per language, created when missing."""
    Document = get_document_model()
    found = {}
    for lang, (title, filename, content) in CHECKLIST_DOCUMENTS.items():
        document = Document.objects.filter(title=title).first()
        if document is None:
            data = content.encode()
            document = Document(
                title=title,
                collection=Collection.get_first_root_node(),
                file_size=len(data),
            )
            # The file of an earlier demo database (same name, same bytes) is reused, so that
            # loading the demo again and again does not fill the media folder.
            field = document.file
            name = field.field.generate_filename(document, filename)
            if field.storage.exists(name) and _read(field.storage, name) == data:
                field.name = name
            else:
                field.save(filename, ContentFile(data), save=False)
            document.save()
        found[lang] = document
    return found


def _read(storage, name):
    with storage.open(name, "rb") as stored:
        return stored.read()


def _english_home(home, english):
    translation = home.get_translation_or_none(english)
    if translation is None:
        translation = home.copy_for_translation(english)
        translation.title = "Meent"
        translation.introduction = (
            "Working together across the borders of your organisation: groups, wikis, blogs and "
            "chat for everyone who works for the public good."
        )
        translation.save_revision().publish()
    return translation.specific


class _Builder:
    def __init__(self, home, people, today):
        self.home = home
        self.people = people
        self.today = today
        self.english = Locale.objects.get(language_code=EN)
        self.pages = {NL: {}, EN: {}}  # slug → page, per language
        self.created = []  # (language, slug, page, fill) of pages made in this run
        self.context = {"pages": self.pages}

    # Pages are found by slug under their parent (Dutch) or as a translation (English).

    def ensure(self, lang, parent_slug, model, slug, fill):
        if lang == NL:
            parent = self.home if parent_slug is None else self.pages[NL][parent_slug]
            page = model.objects.child_of(parent).filter(slug=slug).first()
            if page is None:
                page = model(slug=slug, live=False, **fill(NL, partial=True))
                parent.add_child(instance=page)
                self.created.append((NL, slug, page, fill))
        else:
            original = self.pages[NL][slug]
            page = original.get_translation_or_none(self.english)
            if page is None:
                page = original.copy_for_translation(self.english).specific
                self.created.append((EN, slug, page, fill))
            page = page.specific
        self.pages[lang][slug] = page
        return page

    def publish_created(self, topics):
        """Fill and publish the pages made in this run. Each is read again first: its tree
        fields (``numchild``) changed when children were added under it, and publishing writes
        them back."""
        for lang, slug, page, fill in self.created:
            page = type(page).objects.get(pk=page.pk)
            for field, value in fill(lang, partial=False).items():
                setattr(page, field, value)
            spec = ARTICLES_BY_SLUG.get(slug)
            if spec is not None:
                page.topics.set([topics[t] for t in spec["topics"]])
            page.save_revision().publish()


def _article_fill(spec, builder):
    owner = builder.people.get(spec["owner"]) or builder.people.get(COMMUNITY_MANAGER)

    def fill(lang, partial):
        fields = {
            "title": pick(spec["title"], lang),
            "summary": pick(spec["summary"], lang),
            "phases": [str(p) for p in spec["phases"]],
            "content_owner": owner,
            "owner_team": pick(spec["team"], lang),
            "last_reviewed": _months_ago(builder.today, spec["reviewed"]),
            "review_interval_months": spec["interval"],
        }
        if not partial:
            fields["body"] = [
                build(lang, builder.context, _id(spec["slug"], n))
                for n, build in enumerate(spec["body"])
            ]
        return fields

    return fill


def _months_ago(today, months):
    month_index = today.month - 1 - months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(today.day, 28))


def load_toolbox(home, people=None, stdout=None) -> dict:
    """Build the starter toolbox under ``home`` (the Dutch home page) and its English
    translation. Idempotent; runs inside the caller's transaction. Returns counts."""
    people = _people(people)
    today = timezone.localdate()
    english = Locale.objects.get(language_code=EN)
    _english_home(home, english)
    topics = _topics()
    builder = _Builder(home, people, today)
    builder.context["documents"] = _documents()

    def index_fill(lang, partial):
        return {
            "title": pick(INDEX["title"], lang),
            "introduction": pick(INDEX["introduction"], lang),
        }

    def section_fill(phase, title, introduction):
        return lambda lang, partial: {
            "title": pick(title, lang),
            "phase": str(phase),
            "introduction": pick(introduction, lang),
        }

    def decision_fill(lang, partial):
        return {
            "title": pick(PUBLISH_DECISION_TITLE, lang),
            "introduction": pick(PUBLISH_DECISION_INTRODUCTION, lang),
            "steps": publish_decision_steps(lang),
        }

    def licence_fill(lang, partial):
        return {
            "title": licence_chooser_title(lang),
            "introduction": licence_chooser_introduction(lang),
            "steps": licence_chooser_steps(lang),
        }

    def publiccode_fill(lang, partial):
        return {
            "title": pick(PUBLICCODE_TOOL["title"], lang),
            "introduction": pick(PUBLICCODE_TOOL["introduction"], lang),
        }

    article_fills = [(spec, _article_fill(spec, builder)) for spec in ARTICLES]
    for lang in LANGUAGES:
        builder.ensure(lang, None, ToolboxIndexPage, INDEX["slug"], index_fill)
        for phase, slug, title, introduction in SECTIONS:
            builder.ensure(
                lang,
                INDEX["slug"],
                ToolboxSectionPage,
                slug,
                section_fill(phase, title, introduction),
            )
        builder.ensure(lang, "beslissen", DecisionAidPage, DECISION_AID_SLUG, decision_fill)
        for spec, fill in article_fills:
            builder.ensure(lang, spec["section"], ToolboxArticlePage, spec["slug"], fill)
        builder.ensure(lang, "voorbereiden", DecisionAidPage, LICENCE_CHOOSER_SLUG, licence_fill)
        builder.ensure(
            lang, "publiceren", PublicCodeToolPage, PUBLICCODE_TOOL_SLUG, publiccode_fill
        )

    builder.publish_created(topics)

    counts = _counts(home, english)
    counts["created"] = len(builder.created)
    if stdout is not None:
        stdout.write(
            "Toolbox: {sections} sections, {articles} articles, {decision_aids} decision aids, "
            "{tools} tools per language; {created} pages created.".format(**counts)
        )
    return counts


def _counts(home, english):
    """Pages of each kind in the Dutch toolbox (the English one mirrors it), and the languages."""
    index = ToolboxIndexPage.objects.child_of(home).first()
    if index is None:
        return {"sections": 0, "articles": 0, "decision_aids": 0, "tools": 0, "languages": 0}
    return {
        "sections": ToolboxSectionPage.objects.descendant_of(index).count(),
        "articles": ToolboxArticlePage.objects.descendant_of(index).count(),
        "decision_aids": DecisionAidPage.objects.descendant_of(index).count(),
        "tools": PublicCodeToolPage.objects.descendant_of(index).count(),
        "languages": 1 + index.get_translations().filter(locale=english).count(),
    }
