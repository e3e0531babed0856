"""The demo content's data files (``demo/content/``, YAML): reading them, checking them, and
turning their blocks into StreamField values.

A text shown in both languages is written side by side, ``{nl: ..., en: ...}`` (a plain string
is the same in both); ``pick(value, language)`` takes one. ``read(name)`` loads a file and checks
it against its schema (``SCHEMAS``): a missing or unknown key, or a value of the wrong kind,
raises ``DemoDataError`` naming the file and the key.

The texts are content, not interface: they do not go through gettext.

The block builders (``build_block``) give, for a block of an article, its raw StreamField data in
one language: block ids derive from the article, the block and the item, so both languages share
them. Links to toolbox pages and downloads are resolved through a context (the pages by slug and
the documents, per language) that ``demo.toolbox`` fills.
"""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

import yaml

CONTENT = Path(__file__).resolve().parent / "content"
NL, EN = "nl", "en"
LANGUAGES = (NL, EN)
# Block ids derive from the article, the block and the item, so both languages share them.
ID_NAMESPACE = uuid.UUID("6f1d6c2e-4b7a-4f0e-9d35-2b1f1e6c8a10")


class DemoDataError(ValueError):
    """A data file under demo/content/ is missing, not YAML, or not what its schema asks."""


# --- schemas ------------------------------------------------------------------------------------
# A schema is one of: ``str``, ``int`` (a value of that type); ``TEXT`` (a text per language: a
# string, or a mapping with exactly ``nl`` and ``en``); ``Choice(...)``; ``[schema]`` (a list of
# it); a dict of key -> schema (a key ending in "?" may be left out); ``Blocks`` (a list of
# mappings, each with a ``type`` that names its schema).

TEXT = "text per language"


class Choice:
    def __init__(self, *values):
        self.values = values


class Blocks:
    def __init__(self, kinds):
        self.kinds = kinds


PHASES = Choice("deciding", "preparing", "publishing", "maintaining", "collaborating")

BLOCKS = Blocks(
    {
        "text": {"html": TEXT},
        "heading": {"text": TEXT, "level?": Choice("h2", "h3")},
        "callout": {"kind": Choice("tip", "warning", "law"), "title": TEXT, "html": TEXT},
        "checklist": {"title": TEXT, "items": [TEXT]},
        "steps": {"title": TEXT, "steps": [{"title": TEXT, "html": TEXT}]},
        "faq": {"title": TEXT, "items": [{"question": TEXT, "answer": TEXT}]},
        "law": {"title": TEXT, "reference": TEXT, "url": str, "summary": TEXT},
        "video": {"url": str, "title": TEXT, "transcript": TEXT},
        "download": {"description": TEXT},
        "links": {"title": TEXT, "links": [{"page?": str, "url?": str, "title?": TEXT}]},
    }
)

DECISION_STEPS = Blocks(
    {
        "question": {
            "key": str,
            "question": TEXT,
            "help?": TEXT,
            "answers": [{"label": TEXT, "next": str}],
        },
        "outcome": {
            "key": str,
            "title": TEXT,
            "advice": TEXT,
            "recommendation?": str,
            "recommendation_url?": TEXT,
        },
    }
)

GROUP = {
    "name": str,
    "slug": str,
    "description": str,
    "settings": {
        "membership_policy": Choice("open", "request", "invitation"),
        "content_default": Choice("open", "members"),
        "visibility?": Choice("visible", "hidden"),
    },
    "members": [str],
}

SCHEMAS = {
    "toolbox/index.yaml": {"slug": str, "title": TEXT, "introduction": TEXT, "pages": [str]},
    "toolbox/sections.yaml": {
        "sections": [{"slug": str, "phase": PHASES, "title": TEXT, "introduction": TEXT}]
    },
    "toolbox/topics.yaml": {"topics": [{"slug": str, "name": str, "description": str}]},
    "toolbox/documents.yaml": {
        "checklist": {lang: {"title": str, "filename": str, "content": str} for lang in LANGUAGES}
    },
    "toolbox/articles/": {
        "section": str,
        "title": TEXT,
        "summary": TEXT,
        "topics": [str],
        "phases": [PHASES],
        "owner": str,
        "team": TEXT,
        "reviewed": int,  # months since the last review
        "interval": int,  # review interval in months
        "body": BLOCKS,
    },
    "toolbox/decision-aids/": {
        "section": str,
        "title": TEXT,
        "introduction": TEXT,
        "steps": DECISION_STEPS,
    },
    "toolbox/tools/": {"section": str, "title": TEXT, "introduction": TEXT},
    "organisations.yaml": {
        "organisations": [{"name": str, "slug": str, "website": str, "domains": [str]}]
    },
    "people.yaml": {
        "people": [
            {
                "email": str,
                "first_name": str,
                "last_name": str,
                "job_title": str,
                "role?": Choice("moderator", "community_manager"),
            }
        ]
    },
    "groups.yaml": {"groups": [GROUP]},
    "wiki.yaml": {
        "pages": [
            {
                "group": str,
                "title": str,
                "parent?": str,
                "visibility": str,
                "author": str,
                "body": str,
                "edits?": [{"editor": str, "body": str, "summary": str}],
            }
        ]
    },
    "blog.yaml": {
        "posts": [
            {
                "slug": str,
                "author": str,
                "group?": str,
                "visibility": str,
                "title": str,
                "summary": str,
                "tags": str,
                "body": str,
                "comments?": [{"author": str, "text": str}],
            }
        ]
    },
    # Events (issue 23), planned relative to the day the demo is loaded.
    "events.yaml": {
        "events": [
            {
                "slug": str,
                "organiser": str,
                "group?": str,
                "community?": str,
                "title": str,
                "description": str,
                "days": int,
                "start": str,
                "minutes": int,
                "location?": str,
                "capacity?": int,
                "audience?": Choice("members", "signed_in", "guests"),
                "repeat?": {"every": Choice("weekly", "fortnightly", "monthly"), "times": int},
                "answers?": [{"person": str, "status": Choice("going", "maybe", "not_going")}],
            }
        ]
    },
    # Group file libraries (issue 24): folders, and documents made when the demo is loaded.
    "files.yaml": {
        "folders": [
            {
                "group": str,
                "path": str,
                "visibility": Choice("inherit", "members", "logged_in", "public"),
                "by": str,
            }
        ],
        "files": [
            {
                "group": str,
                "folder?": str,
                "name": str,
                "kind": Choice("pdf", "docx", "odt", "csv", "png"),
                "by": str,
                "description?": str,
                "tags?": str,
                "text": str,
                "versions?": [{"by": str, "text": str}],
            }
        ],
    },
    "communities.yaml": {
        "main": {"site_name": str, "home": {"title": str, "introduction": TEXT}},
        "others": [
            {
                "name": str,
                "hostname": str,
                "introduction": str,
                "theme": {"primary_colour": str, "secondary_colour": str},
                "groups": [GROUP],
            }
        ],
    },
    "reports.yaml": {"report": {"reason": str, "text": str}},
    # Profile fields per community and the demo people's answers (demo/profile_fields.py); the
    # kinds and visibilities of people/models.py ProfileField.
    "profile_fields.yaml": {
        "communities": [
            {
                "community": str,
                "fields": [
                    {
                        "key": str,
                        "label": TEXT,
                        "help?": TEXT,
                        "kind": Choice("text", "long_text", "tags", "phone", "url", "choice"),
                        "choices?": [str],
                        "max_length": int,
                        "visibility": Choice("public", "logged_in", "organisation"),
                        "searchable?": Choice(True, False),
                    }
                ],
            }
        ],
        "people": [{"email": str, "answers": [{"field": str, "value": str}]}],
    },
    # Front pages (demo/front_pages.py): the blocks of home/blocks.py, per community.
    "front_pages.yaml": {
        "front_pages": [
            {
                "community": str,
                "blocks": Blocks(
                    {
                        "introduction": {"heading": TEXT, "text": TEXT, "button": TEXT},
                        "latest_posts": {"heading": TEXT, "count": int},
                        "groups": {"heading": TEXT, "text": TEXT, "groups": [str]},
                        "toolbox": {"heading": TEXT, "text": TEXT, "newest": int},
                        "text": {"html": TEXT},
                        "links": {
                            "heading": TEXT,
                            "links": [{"label": TEXT, "page?": Choice("toolbox"), "url?": str}],
                        },
                    }
                ),
            }
        ]
    },
}


def schema_for(name):
    if name in SCHEMAS:
        return SCHEMAS[name]
    folder = name.rsplit("/", 1)[0] + "/"
    if folder in SCHEMAS:
        return SCHEMAS[folder]
    raise DemoDataError(f"{name}: no schema for this file (demo/loader.py SCHEMAS)")


def check(value, schema, where=""):
    """Raise ``DemoDataError`` (without the file name) when ``value`` does not fit ``schema``."""
    label = where or "the file"  # a message is "<file>: <where>: <what>"
    if schema is TEXT:
        if isinstance(value, str):
            return
        if not isinstance(value, dict):
            raise DemoDataError(f"{label}: expected a text or {{nl: ..., en: ...}}")
        _keys(value, set(LANGUAGES), set(), where)
        for lang in LANGUAGES:
            if not isinstance(value[lang], str):
                raise DemoDataError(f"{_at(where, lang)}: expected a text")
    elif schema is str or schema is int:
        if not isinstance(value, schema) or isinstance(value, bool):
            kind = "a text" if schema is str else "a whole number"
            raise DemoDataError(f"{label}: expected {kind}, not {value!r}")
    elif isinstance(schema, Choice):
        if value not in schema.values:
            raise DemoDataError(f"{label}: {value!r} is not one of {', '.join(schema.values)}")
    elif isinstance(schema, list):
        if not isinstance(value, list):
            raise DemoDataError(f"{label}: expected a list")
        for n, item in enumerate(value):
            check(item, schema[0], f"{where}[{n}]")
    elif isinstance(schema, Blocks):
        if not isinstance(value, list):
            raise DemoDataError(f"{label}: expected a list of blocks")
        for n, item in enumerate(value):
            at = f"{where}[{n}]"
            if not isinstance(item, dict) or "type" not in item:
                raise DemoDataError(f"{at}: missing key 'type'")
            kind = item["type"]
            if kind not in schema.kinds:
                raise DemoDataError(
                    f"{at}: unknown type {kind!r} (one of {', '.join(schema.kinds)})"
                )
            check({k: v for k, v in item.items() if k != "type"}, schema.kinds[kind], at)
    elif isinstance(schema, dict):
        if not isinstance(value, dict):
            raise DemoDataError(f"{label}: expected a mapping")
        required = {key for key in schema if not key.endswith("?")}
        optional = {key[:-1] for key in schema if key.endswith("?")}
        _keys(value, required, optional, where)
        for key, item in value.items():
            check(item, schema.get(key, schema.get(key + "?")), _at(where, key))
    else:  # pragma: no cover - a mistake in SCHEMAS
        raise TypeError(schema)


def _at(where, key):
    return f"{where}.{key}" if where else key


def _keys(value, required, optional, where):
    for key in value:
        if key not in required and key not in optional:
            raise DemoDataError(f"{_at(where, key)}: unknown key {key!r}")
    for key in sorted(required):
        if key not in value:
            raise DemoDataError(
                f"{where}: missing key {key!r}" if where else f"missing key {key!r}"
            )


def _shown(name, root):
    """A file's name in messages: from the repository's root for the demo's own files."""
    return f"demo/content/{name}" if root == CONTENT else str(root / name)


def read(name, content=None):
    """The data of ``demo/content/<name>`` (or of ``<content>/<name>``), checked against its
    schema. The demo's own files are read once (the data is shared: do not change it)."""
    root = Path(content) if content is not None else CONTENT
    if root == CONTENT:
        return _read_once(name, root)
    return _read(name, root)


@cache
def _read_once(name, content):
    return _read(name, content)


def _read(name, content):
    path = content / name
    shown = _shown(name, content)
    try:
        with path.open(encoding="utf-8") as stream:
            data = yaml.safe_load(stream)
    except FileNotFoundError:
        raise DemoDataError(f"{shown}: no such file") from None
    except yaml.YAMLError as error:
        raise DemoDataError(f"{shown}: not valid YAML: {error}") from None
    try:
        check(data, schema_for(name))
        if name.startswith("toolbox/articles/"):
            check_links(data)
    except DemoDataError as error:
        raise DemoDataError(f"{shown}: {error}") from None
    return data


def toolbox_pages(content=None):
    """The pages under the toolbox's sections, in the order of ``toolbox/index.yaml``: a list of
    ``(kind, slug, data)``, kind ``articles``, ``decision-aids`` or ``tools`` (the folder). Checks
    that every file of those folders is listed once, and that sections and topics exist."""
    root = Path(content) if content is not None else CONTENT
    shown = _shown("toolbox/index.yaml", root)
    index = read("toolbox/index.yaml", content)
    sections = {s["slug"] for s in read("toolbox/sections.yaml", content)["sections"]}
    topics = {t["slug"] for t in read("toolbox/topics.yaml", content)["topics"]}
    pages, seen = [], set()
    for n, entry in enumerate(index["pages"]):
        kind, _, slug = entry.partition("/")
        if kind not in PAGE_KINDS or not slug or "/" in slug:
            raise DemoDataError(
                f"{shown}: pages[{n}]: {entry!r} is not <{'|'.join(PAGE_KINDS)}>/<slug>"
            )
        if entry in seen:
            raise DemoDataError(f"{shown}: pages[{n}]: {entry!r} is listed twice")
        seen.add(entry)
        name = f"toolbox/{entry}.yaml"
        data = read(name, content)
        where = _shown(name, root)
        if data["section"] not in sections:
            raise DemoDataError(f"{where}: section: no section {data['section']!r}")
        for topic in data.get("topics", ()):
            if topic not in topics:
                raise DemoDataError(f"{where}: topics: no topic {topic!r}")
        pages.append((kind, slug, data))
    for kind in PAGE_KINDS:
        for path in sorted((root / "toolbox" / kind).glob("*")):
            if f"{kind}/{path.stem}" not in seen or path.suffix != ".yaml":
                raise DemoDataError(f"{shown}: pages: {kind}/{path.name} is not listed")
    return pages


PAGE_KINDS = ("articles", "decision-aids", "tools")


def pick(value, language):
    """The text of ``{nl: ..., en: ...}`` in ``language`` (Dutch unless English); a plain value
    as it is."""
    if isinstance(value, dict):
        return value[EN] if language == EN else value[NL]
    return value


# --- article blocks ------------------------------------------------------------------------------


def block_id(*parts):
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def _items(bid, values):
    return [
        {"type": "item", "value": value, "id": block_id(bid, n)} for n, value in enumerate(values)
    ]


def text(data, lang, ctx, bid):
    return {"type": "text", "value": pick(data["html"], lang), "id": bid}


def heading(data, lang, ctx, bid):
    return {
        "type": "heading",
        "value": {"text": pick(data["text"], lang), "level": data.get("level", "h2")},
        "id": bid,
    }


def callout(data, lang, ctx, bid):
    return {
        "type": "callout",
        "value": {
            "kind": data["kind"],
            "title": pick(data["title"], lang),
            "text": pick(data["html"], lang),
        },
        "id": bid,
    }


def checklist(data, lang, ctx, bid):
    return {
        "type": "checklist",
        "value": {
            "title": pick(data["title"], lang),
            "items": _items(bid, [pick(item, lang) for item in data["items"]]),
        },
        "id": bid,
    }


def steps(data, lang, ctx, bid):
    entries = [
        {"title": pick(step["title"], lang), "text": pick(step["html"], lang)}
        for step in data["steps"]
    ]
    return {
        "type": "steps",
        "value": {"title": pick(data["title"], lang), "steps": _items(bid, entries)},
        "id": bid,
    }


def faq(data, lang, ctx, bid):
    entries = [
        {"question": pick(item["question"], lang), "answer": pick(item["answer"], lang)}
        for item in data["items"]
    ]
    return {
        "type": "faq",
        "value": {"title": pick(data["title"], lang), "items": _items(bid, entries)},
        "id": bid,
    }


def law(data, lang, ctx, bid):
    return {
        "type": "law_reference",
        "value": {
            "title": pick(data["title"], lang),
            "reference": pick(data["reference"], lang),
            "url": data["url"],
            "summary": pick(data["summary"], lang),
        },
        "id": bid,
    }


def video(data, lang, ctx, bid):
    return {
        "type": "video",
        "value": {
            "video": data["url"],
            "title": pick(data["title"], lang),
            "transcript": pick(data["transcript"], lang),
        },
        "id": bid,
    }


def download(data, lang, ctx, bid):
    """The document of the language the article is in (``ctx["documents"]``)."""
    return {
        "type": "download",
        "value": {
            "document": ctx["documents"][lang].pk,
            "description": pick(data["description"], lang),
        },
        "id": bid,
    }


def links(data, lang, ctx, bid):
    """Links to toolbox pages (``page``: a slug, the page in the same language from
    ``ctx["pages"]``; left out when it is not there) and to addresses (``url`` and ``title``)."""
    values = []
    for n, entry in enumerate(data["links"]):
        if "page" in entry:
            page = ctx["pages"][lang].get(entry["page"])
            if page is None:
                continue
            value = {"page": page.pk, "url": "", "title": ""}
        else:
            value = {"page": None, "url": entry["url"], "title": pick(entry["title"], lang)}
        values.append({"type": "item", "value": value, "id": block_id(bid, n)})
    return {
        "type": "related_links",
        "value": {"title": pick(data["title"], lang), "links": values},
        "id": bid,
    }


BUILDERS = {
    "text": text,
    "heading": heading,
    "callout": callout,
    "checklist": checklist,
    "steps": steps,
    "faq": faq,
    "law": law,
    "video": video,
    "download": download,
    "links": links,
}
assert set(BUILDERS) == set(BLOCKS.kinds)


def build_block(data, lang, ctx, bid):
    """One block of an article (its data) as raw StreamField data in ``lang``."""
    return BUILDERS[data["type"]](data, lang, ctx, bid)


def check_links(data):
    """A link is to a page or to an address, not both."""
    for n, block in enumerate(data["body"]):
        if block["type"] != "links":
            continue
        for m, entry in enumerate(block["links"]):
            at = f"body[{n}].links[{m}]"
            if "page" in entry:
                if set(entry) != {"page"}:
                    raise DemoDataError(f"{at}: a page link has only the key 'page'")
            elif set(entry) != {"url", "title"}:
                raise DemoDataError(f"{at}: missing key 'page', or 'url' and 'title'")


# --- decision aids -------------------------------------------------------------------------------


def decision_steps(data, lang):
    """A decision aid's steps (its data) as raw StreamField data for ``DecisionAidPage.steps``."""
    result = []
    for step in data["steps"]:
        if step["type"] == "question":
            value = {
                "key": step["key"],
                "question": pick(step["question"], lang),
                "help": pick(step.get("help", ""), lang),
                "answers": [
                    {"label": pick(answer["label"], lang), "next": answer["next"]}
                    for answer in step["answers"]
                ],
            }
        else:
            value = {
                "key": step["key"],
                "title": pick(step["title"], lang),
                "advice": pick(step["advice"], lang),
                "recommendation": step.get("recommendation", ""),
                "recommendation_url": pick(step.get("recommendation_url", ""), lang),
            }
        result.append({"type": step["type"], "value": value})
    return result


LICENCE_CHOOSER = "toolbox/decision-aids/licentiekiezer.yaml"


def licence_chooser_title(language=NL):
    return pick(read(LICENCE_CHOOSER)["title"], language)


def licence_chooser_introduction(language=NL):
    return pick(read(LICENCE_CHOOSER)["introduction"], language)


def licence_chooser_steps(language=NL):
    """The licence chooser's steps as raw StreamField data for ``DecisionAidPage.steps``, in
    Dutch (``"nl"``, the default) or English (``"en"``); keys and structure are the same in both.
    Outcomes: EUPL-1.2, AGPL-3.0, GPL-3.0, MPL-2.0, Apache-2.0, MIT, CC0-1.0, CC-BY-4.0, and "find
    out first" when the licences of existing code are unknown."""
    return decision_steps(read(LICENCE_CHOOSER), language)


# --- everything at once --------------------------------------------------------------------------


def check_front_pages(data, shown):
    """Each front page is of a community of communities.yaml and highlights its own groups."""
    own = {"main": {group["slug"] for group in data["groups.yaml"]["groups"]}}
    for other in data["communities.yaml"]["others"]:
        own[other["hostname"]] = {group["slug"] for group in other["groups"]}
    for n, page in enumerate(data["front_pages.yaml"]["front_pages"]):
        if page["community"] not in own:
            raise DemoDataError(
                f"{shown}: front_pages[{n}].community: no community {page['community']!r}"
            )
        for m, block in enumerate(page["blocks"]):
            for slug in block.get("groups", ()):
                if slug not in own[page["community"]]:
                    raise DemoDataError(
                        f"{shown}: front_pages[{n}].blocks[{m}].groups: no group {slug!r} "
                        f"in {page['community']}"
                    )
            for k, link in enumerate(block.get("links", ())):
                if ("page" in link) == ("url" in link):
                    raise DemoDataError(
                        f"{shown}: front_pages[{n}].blocks[{m}].links[{k}]: a page or a url"
                    )


def check_profile_fields(data, shown):
    """Each community of the profile fields is one of communities.yaml, each person one of
    people.yaml, and each answer is for a field that some community has."""
    communities = {"main"} | {other["hostname"] for other in data["communities.yaml"]["others"]}
    emails = {person["email"] for person in data["people.yaml"]["people"]}
    keys = set()
    for n, community in enumerate(data["profile_fields.yaml"]["communities"]):
        if community["community"] not in communities:
            raise DemoDataError(
                f"{shown}: communities[{n}].community: no community {community['community']!r}"
            )
        keys |= {field["key"] for field in community["fields"]}
    for n, person in enumerate(data["profile_fields.yaml"]["people"]):
        if person["email"] not in emails:
            raise DemoDataError(
                f"{shown}: people[{n}].email: {person['email']!r} is not in people.yaml"
            )
        for m, answer in enumerate(person["answers"]):
            if answer["field"] not in keys:
                raise DemoDataError(
                    f"{shown}: people[{n}].answers[{m}].field: no field {answer['field']!r}"
                )


def read_all(content=None):
    """Every data file of the demo, checked, also against each other (people named exist, groups
    named exist, the toolbox's pages): what ``load_demo`` loads, as a dict by file name."""
    names = [
        "organisations.yaml",
        "people.yaml",
        "groups.yaml",
        "wiki.yaml",
        "blog.yaml",
        "events.yaml",
        "files.yaml",
        "communities.yaml",
        "reports.yaml",
        "toolbox/documents.yaml",
        "profile_fields.yaml",
        "front_pages.yaml",
    ]
    data = {name: read(name, content) for name in names}
    pages = toolbox_pages(content)
    emails = {person["email"] for person in data["people.yaml"]["people"]}
    groups = [*data["groups.yaml"]["groups"]]
    for other in data["communities.yaml"]["others"]:
        groups.extend(other["groups"])
    slugs = {group["slug"] for group in groups}

    root = Path(content) if content is not None else CONTENT

    def shown(name):
        return _shown(name, root)

    def person(name, where, email):
        if email not in emails:
            raise DemoDataError(f"{shown(name)}: {where}: {email!r} is not in people.yaml")

    for n, group in enumerate(data["groups.yaml"]["groups"]):
        for m, email in enumerate(group["members"]):
            person("groups.yaml", f"groups[{n}].members[{m}]", email)
    for i, other in enumerate(data["communities.yaml"]["others"]):
        for n, group in enumerate(other["groups"]):
            for m, email in enumerate(group["members"]):
                person("communities.yaml", f"others[{i}].groups[{n}].members[{m}]", email)
    for n, page in enumerate(data["wiki.yaml"]["pages"]):
        person("wiki.yaml", f"pages[{n}].author", page["author"])
        for m, edit in enumerate(page.get("edits", ())):
            person("wiki.yaml", f"pages[{n}].edits[{m}].editor", edit["editor"])
        if page["group"] not in slugs:
            raise DemoDataError(
                f"{shown('wiki.yaml')}: pages[{n}].group: no group {page['group']!r}"
            )
    for n, post in enumerate(data["blog.yaml"]["posts"]):
        person("blog.yaml", f"posts[{n}].author", post["author"])
        for m, comment in enumerate(post.get("comments", ())):
            person("blog.yaml", f"posts[{n}].comments[{m}].author", comment["author"])
        if "group" in post and post["group"] not in slugs:
            raise DemoDataError(
                f"{shown('blog.yaml')}: posts[{n}].group: no group {post['group']!r}"
            )
    hostnames = {"main"} | {other["hostname"] for other in data["communities.yaml"]["others"]}
    for n, event in enumerate(data["events.yaml"]["events"]):
        where = f"events[{n}]"
        person("events.yaml", f"{where}.organiser", event["organiser"])
        for m, answer in enumerate(event.get("answers", ())):
            person("events.yaml", f"{where}.answers[{m}].person", answer["person"])
        if ("group" in event) == ("community" in event):
            raise DemoDataError(f"{shown('events.yaml')}: {where}: give a group or a community")
        if "group" in event and event["group"] not in slugs:
            raise DemoDataError(
                f"{shown('events.yaml')}: {where}.group: no group {event['group']!r}"
            )
        if "community" in event and event["community"] not in hostnames:
            raise DemoDataError(
                f"{shown('events.yaml')}: {where}.community: no community {event['community']!r}"
            )
    for key in ("folders", "files"):
        for n, entry in enumerate(data["files.yaml"][key]):
            where = f"{key}[{n}]"
            person("files.yaml", f"{where}.by", entry["by"])
            for m, version in enumerate(entry.get("versions", ())):
                person("files.yaml", f"{where}.versions[{m}].by", version["by"])
            if entry["group"] not in slugs:
                raise DemoDataError(
                    f"{shown('files.yaml')}: {where}.group: no group {entry['group']!r}"
                )
    for kind, slug, page in pages:
        if "owner" in page:
            person(f"toolbox/{kind}/{slug}.yaml", "owner", page["owner"])
    check_front_pages(data, shown("front_pages.yaml"))
    check_profile_fields(data, shown("profile_fields.yaml"))
    data["toolbox"] = pages
    return data
