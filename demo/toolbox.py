"""The starter toolbox that ``make demo`` loads: Dutch and English, written for Meent.

``load_toolbox(home, people)`` builds, under the Dutch home page, the toolbox index, a section per
phase and, under the sections, the pages of ``demo/content/toolbox/index.yaml`` (articles, the
decision aids "Moet ik dit openbaar maken?" and the licence chooser, the publiccode.yml tool);
then the English tree: a translation of every page (same slug, same ``translation_key``), under
the English translation of the home page.

Idempotent and keyed on slugs: a page that exists is left alone, a missing one is created, so a
second run changes nothing. Pages are first created as drafts (the Dutch ones, then their English
copies), then filled and published, so that links between articles always find their target in
the same language.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from demo.loader import EN, LANGUAGES, NL, block_id, build_block, decision_steps, pick, read
from demo.loader import toolbox_pages as read_toolbox_pages
from toolbox.decisions.models import DecisionAidPage
from toolbox.models import ToolboxArticlePage, ToolboxIndexPage, ToolboxSectionPage, ToolboxTopic
from toolbox.publiccode.models import PublicCodeToolPage

COMMUNITY_MANAGER = "redactie@minbzk.nl"

MODELS = {
    "articles": ToolboxArticlePage,
    "decision-aids": DecisionAidPage,
    "tools": PublicCodeToolPage,
}


def _people(people, pages):
    """E-mail → user: the demo people given, or looked up (``people=None``)."""
    if people is not None:
        return people
    from accounts.models import User

    emails = {COMMUNITY_MANAGER} | {data["owner"] for kind, _, data in pages if "owner" in data}
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _topics():
    found = {}
    for topic in read("toolbox/topics.yaml")["topics"]:
        found[topic["slug"]], _ = ToolboxTopic.objects.get_or_create(
            slug=topic["slug"],
            defaults={"name": topic["name"], "description": topic["description"]},
        )
    return found


def _documents():
    """The 'ready to publish' checklist as a document per language, created when missing."""
    Document = get_document_model()
    found = {}
    for lang, spec in read("toolbox/documents.yaml")["checklist"].items():
        document = Document.objects.filter(title=spec["title"]).first()
        if document is None:
            data = spec["content"].encode()
            document = Document(
                title=spec["title"],
                collection=Collection.get_first_root_node(),
                file_size=len(data),
            )
            # The file of an earlier demo database (same name, same bytes) is reused, so that
            # loading the demo again and again does not fill the media folder.
            field = document.file
            name = field.field.generate_filename(document, spec["filename"])
            if field.storage.exists(name) and _read(field.storage, name) == data:
                field.name = name
            else:
                field.save(spec["filename"], ContentFile(data), save=False)
            document.save()
        found[lang] = document
    return found


def _read(storage, name):
    with storage.open(name, "rb") as stored:
        return stored.read()


def _english_home(home, english):
    translation = home.get_translation_or_none(english)
    if translation is None:
        spec = read("communities.yaml")["main"]["home"]
        translation = home.copy_for_translation(english)
        translation.title = spec["title"]
        translation.introduction = pick(spec["introduction"], EN)
        translation.save_revision().publish()
    return translation.specific


class _Builder:
    def __init__(self, home, people, today):
        self.home = home
        self.people = people
        self.today = today
        self.english = Locale.objects.get(language_code=EN)
        self.pages = {NL: {}, EN: {}}  # slug → page, per language
        self.created = []  # (language, slug, page, fill, topics) of pages made in this run
        self.context = {"pages": self.pages}

    # Pages are found by slug under their parent (Dutch) or as a translation (English).

    def ensure(self, lang, parent_slug, model, slug, fill, topics=None):
        if lang == NL:
            parent = self.home if parent_slug is None else self.pages[NL][parent_slug]
            page = model.objects.child_of(parent).filter(slug=slug).first()
            if page is None:
                page = model(slug=slug, live=False, **fill(NL, partial=True))
                parent.add_child(instance=page)
                self.created.append((NL, slug, page, fill, topics))
        else:
            original = self.pages[NL][slug]
            page = original.get_translation_or_none(self.english)
            if page is None:
                page = original.copy_for_translation(self.english).specific
                self.created.append((EN, slug, page, fill, topics))
            page = page.specific
        self.pages[lang][slug] = page
        return page

    def publish_created(self, topics):
        """Fill and publish the pages made in this run. Each is read again first: its tree
        fields (``numchild``) changed when children were added under it, and publishing writes
        them back."""
        for lang, _slug, page, fill, page_topics in self.created:
            page = type(page).objects.get(pk=page.pk)
            for field, value in fill(lang, partial=False).items():
                setattr(page, field, value)
            if page_topics is not None:
                page.topics.set([topics[t] for t in page_topics])
            page.save_revision().publish()


def _article_fill(slug, spec, builder):
    owner = builder.people.get(spec["owner"]) or builder.people.get(COMMUNITY_MANAGER)

    def fill(lang, partial):
        fields = {
            "title": pick(spec["title"], lang),
            "summary": pick(spec["summary"], lang),
            "phases": list(spec["phases"]),
            "content_owner": owner,
            "owner_team": pick(spec["team"], lang),
            "last_reviewed": _months_ago(builder.today, spec["reviewed"]),
            "review_interval_months": spec["interval"],
        }
        if not partial:
            fields["body"] = [
                build_block(block, lang, builder.context, block_id(slug, n))
                for n, block in enumerate(spec["body"])
            ]
        return fields

    return fill


def _decision_fill(spec):
    return lambda lang, partial: {
        "title": pick(spec["title"], lang),
        "introduction": pick(spec["introduction"], lang),
        "steps": decision_steps(spec, lang),
    }


def _tool_fill(spec):
    return lambda lang, partial: {
        "title": pick(spec["title"], lang),
        "introduction": pick(spec["introduction"], lang),
    }


def _months_ago(today, months):
    month_index = today.month - 1 - months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(today.day, 28))


def load_toolbox(home, people=None, stdout=None) -> dict:
    """Build the starter toolbox under ``home`` (the Dutch home page) and its English
    translation. Idempotent; runs inside the caller's transaction. Returns counts."""
    index = read("toolbox/index.yaml")
    sections = read("toolbox/sections.yaml")["sections"]
    pages = read_toolbox_pages()
    people = _people(people, pages)
    today = timezone.localdate()
    english = Locale.objects.get(language_code=EN)
    _english_home(home, english)
    topics = _topics()
    builder = _Builder(home, people, today)
    builder.context["documents"] = _documents()

    def index_fill(lang, partial):
        return {
            "title": pick(index["title"], lang),
            "introduction": pick(index["introduction"], lang),
        }

    def section_fill(section):
        return lambda lang, partial: {
            "title": pick(section["title"], lang),
            "phase": section["phase"],
            "introduction": pick(section["introduction"], lang),
        }

    fills = []
    for kind, slug, spec in pages:
        if kind == "articles":
            fills.append((kind, slug, spec, _article_fill(slug, spec, builder), spec["topics"]))
        elif kind == "decision-aids":
            fills.append((kind, slug, spec, _decision_fill(spec), None))
        else:
            fills.append((kind, slug, spec, _tool_fill(spec), None))
    for lang in LANGUAGES:
        builder.ensure(lang, None, ToolboxIndexPage, index["slug"], index_fill)
        for section in sections:
            builder.ensure(
                lang, index["slug"], ToolboxSectionPage, section["slug"], section_fill(section)
            )
        for kind, slug, spec, fill, page_topics in fills:
            builder.ensure(lang, spec["section"], MODELS[kind], slug, fill, page_topics)

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
