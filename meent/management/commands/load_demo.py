"""Demo data: organisations, people (a moderator and a community manager among them) and groups.

Idempotent: running it again updates what is there and creates nothing twice.
"""

import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from groups.models import Activity, Group, Membership
from meent.accounts.models import Organisation, OrganisationDomain, User
from meent.home.models import HomePage
from meent.home.statements import ensure_statements
from meent.progress import ProgressBar
from moderation.roles import ensure_moderator_role
from toolbox.demo import load_toolbox
from toolbox.models import ToolboxIndexPage
from toolbox.roles import ensure_toolbox_roles

ORGANISATIONS = [
    (
        "Ministerie van BZK",
        "minbzk",
        "https://www.rijksoverheid.nl/ministeries/ministerie-van-binnenlandse-zaken-en-koninkrijksrelaties",
        ["minbzk.nl"],
    ),
    ("Gemeente Utrecht", "gemeente-utrecht", "https://www.utrecht.nl", ["utrecht.nl"]),
    ("Gemeente Amsterdam", "gemeente-amsterdam", "https://www.amsterdam.nl", ["amsterdam.nl"]),
    ("Rijkswaterstaat", "rijkswaterstaat", "https://www.rijkswaterstaat.nl", ["rws.nl"]),
    (
        "Provincie Noord-Holland",
        "provincie-noord-holland",
        "https://www.noord-holland.nl",
        ["noord-holland.nl"],
    ),
]

# (e-mail, first name, last name, job title, role)
PEOPLE = [
    ("moderator@minbzk.nl", "Mila", "de Moderator", "Moderator", "moderator"),
    ("redactie@minbzk.nl", "Cas", "Communitymanager", "Community manager", "community_manager"),
    ("anna.jansen@minbzk.nl", "Anna", "Jansen", "Beleidsmedewerker open source", None),
    ("bram.devries@minbzk.nl", "Bram", "de Vries", "Enterprise-architect", None),
    ("fatima.elamrani@utrecht.nl", "Fatima", "El Amrani", "Informatieadviseur", None),
    ("joost.bakker@utrecht.nl", "Joost", "Bakker", "Product owner", None),
    ("lotte.visser@amsterdam.nl", "Lotte", "Visser", "Privacy officer", None),
    ("mohamed.yilmaz@amsterdam.nl", "Mohamed", "Yılmaz", "Ontwikkelaar", None),
    ("sanne.mulder@rws.nl", "Sanne", "Mulder", "Data-analist", None),
    ("pieter.smit@rws.nl", "Pieter", "Smit", "Projectleider", None),
    ("eva.dekker@noord-holland.nl", "Eva", "Dekker", "Communicatieadviseur", None),
    ("gast@voorbeeld.nl", "Gijs", "Gast", "Zelfstandig adviseur", None),
]

# (name, slug, description, settings, member e-mails: the first is the owner, the second an admin)
GROUPS = [
    (
        "Open source in de overheid",
        "open-source-overheid",
        "Samen werken aan open source: publiceren, beheren en hergebruiken.",
        {"membership_policy": "open", "content_default": "open"},
        [
            "anna.jansen@minbzk.nl",
            "fatima.elamrani@utrecht.nl",
            "mohamed.yilmaz@amsterdam.nl",
            "pieter.smit@rws.nl",
        ],
    ),
    (
        "Privacy en AVG",
        "privacy-avg",
        "Ervaringen met DPIA's, verwerkingsregisters en privacy by design.",
        {"membership_policy": "request", "content_default": "members"},
        ["lotte.visser@amsterdam.nl", "bram.devries@minbzk.nl", "eva.dekker@noord-holland.nl"],
    ),
    (
        "Data en dashboards",
        "data-dashboards",
        "Open data, datakwaliteit en dashboards voor beleid.",
        {"membership_policy": "open", "content_default": "members"},
        ["sanne.mulder@rws.nl", "joost.bakker@utrecht.nl", "anna.jansen@minbzk.nl"],
    ),
    (
        "Aanbesteding cloudwerkplek",
        "aanbesteding-cloudwerkplek",
        "Besloten overleg over een gezamenlijke aanbesteding.",
        {"membership_policy": "invitation", "visibility": "hidden", "content_default": "members"},
        ["bram.devries@minbzk.nl", "joost.bakker@utrecht.nl", "pieter.smit@rws.nl"],
    ),
]

# (group slug, title, parent title, visibility, author, body, later edits: (editor, body, summary))
WIKI_PAGES = [
    (
        "open-source-overheid",
        "Welkom",
        None,
        "public",
        "anna.jansen@minbzk.nl",
        "<h2>Waar gaat deze groep over?</h2><p>Hier delen we wat we leren over open source in de "
        "overheid: van de eerste beslissing tot het onderhoud van een project.</p>"
        "<h2>Hoe werken we?</h2><p>Lees eerst de [[Werkafspraken]]. Wie code publiceert, begint bij "
        "[[Publiceren op GitHub of GitLab]] en [[Licentie kiezen]].</p>",
        [],
    ),
    (
        "open-source-overheid",
        "Werkafspraken",
        "Welkom",
        "public",
        "anna.jansen@minbzk.nl",
        "<ul><li><p>We delen openbaar, tenzij er een reden is om dat niet te doen.</p></li>"
        "<li><p>Vragen stellen mag altijd, in de chat of hier.</p></li></ul>",
        [
            (
                "fatima.elamrani@utrecht.nl",
                "<ul><li><p>We delen openbaar, tenzij er een reden is om dat niet te doen.</p></li>"
                "<li><p>Vragen stellen mag altijd, in de chat of hier.</p></li>"
                "<li><p>Elke maand een online kennissessie, de eerste dinsdag.</p></li></ul>",
                "Kennissessies toegevoegd",
            )
        ],
    ),
    (
        "open-source-overheid",
        "Publiceren op GitHub of GitLab",
        None,
        "public",
        "mohamed.yilmaz@amsterdam.nl",
        "<h2>Voor je begint</h2><ol><li><p>Kies een [[Licentie kiezen|licentie]].</p></li>"
        "<li><p>Haal wachtwoorden en persoonsgegevens uit de code en de geschiedenis.</p></li>"
        "<li><p>Schrijf een README en een <code>publiccode.yml</code>.</p></li></ol>"
        "<h2>Waar publiceer je?</h2><table><tbody><tr><th>Platform</th><th>Wanneer</th></tr>"
        "<tr><td><p>GitHub</p></td><td><p>Grootste gemeenschap</p></td></tr>"
        "<tr><td><p>GitLab</p></td><td><p>Ook zelf te hosten</p></td></tr></tbody></table>",
        [],
    ),
    (
        "open-source-overheid",
        "Licentie kiezen",
        "Publiceren op GitHub of GitLab",
        "logged_in",
        "pieter.smit@rws.nl",
        "<p>De overheid kiest meestal de <strong>EUPL-1.2</strong>: een Europese licentie in alle "
        "EU-talen, die samengaat met GPL, MPL en andere.</p>",
        [],
    ),
    (
        "privacy-avg",
        "DPIA-stappenplan",
        None,
        "group",
        "lotte.visser@amsterdam.nl",
        "<h2>Wanneer?</h2><p>Bij verwerkingen met een hoog risico voor de mensen om wie het gaat."
        "</p><h2>Stappen</h2><ol><li><p>Beschrijf de verwerking.</p></li><li><p>Beoordeel "
        "noodzaak en evenredigheid.</p></li><li><p>Beschrijf risico's en maatregelen.</p></li></ol>",
        [],
    ),
]

# (slug, author, group slug or None, visibility, title, summary, tags, body, comments: (who, text))
BLOG_POSTS = [
    (
        "waarom-wij-onze-code-openbaar-maken",
        "anna.jansen@minbzk.nl",
        "open-source-overheid",
        "public",
        "Waarom wij onze code openbaar maken",
        "Open, tenzij: wat het ons opleverde in het eerste jaar.",
        "open source, publiceren",
        "<p>Een jaar geleden besloten we om alle nieuwe software openbaar te ontwikkelen. "
        "Dit is wat we leerden.</p><h2>Wat het opleverde</h2><ul><li><p>Andere gemeenten "
        "hergebruiken onze formulieren.</p></li><li><p>Bugs worden eerder gevonden.</p></li></ul>"
        "<p>Vragen? Stel ze hieronder, @Mohamed Yilmaz weet alles van de techniek.</p>",
        [
            ("mohamed.yilmaz@amsterdam.nl", "Goed verhaal! Wij publiceren sinds maart ook."),
            ("pieter.smit@rws.nl", "Hoe regelden jullie het beheer na publicatie?"),
        ],
    ),
    (
        "dpia-in-drie-stappen",
        "lotte.visser@amsterdam.nl",
        "privacy-avg",
        "public",
        "DPIA in drie stappen",
        "Een praktische aanpak voor kleine projecten.",
        "privacy, AVG",
        "<p>Begin klein: beschrijf de verwerking, beoordeel de noodzaak en leg de maatregelen "
        "vast.</p>",
        [("bram.devries@minbzk.nl", "Handig, dit nemen we over.")],
    ),
    (
        "eerste-week-als-datacoordinator",
        "sanne.mulder@rws.nl",
        None,
        "logged_in",
        "Mijn eerste week als datacoördinator",
        "Wat ik leerde over datakwaliteit.",
        "data",
        "<p>Datakwaliteit begint bij de bron: wie invoert, bepaalt de kwaliteit.</p>",
        [],
    ),
]


DEMO_COMMUNITY_HOST = "oost.localhost"
DEMO_COMMUNITY_GROUP = (
    "Dijken en water",
    "dijken-en-water",
    "Waterschappen en gemeenten in het oosten over dijkversterking en wateroverlast.",
    {"membership_policy": "open", "content_default": "open"},
    ["pieter.smit@rws.nl", "anna.jansen@minbzk.nl"],
)


class Command(BaseCommand):
    help = "Load Meent's demo data (idempotent). The password comes from MEENT_DEMO_PASSWORD."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print accounts.")
        # The communities' addresses are the ones the demo is served at (make demo passes its
        # HOST and PORT), so every full URL Meent builds (redirects between communities, links
        # in e-mails) leads to a page that answers.
        parser.add_argument("--host", default="127.0.0.1", help="Host the demo is served at.")
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT") or 8000), help="Its port."
        )

    def handle(self, *args, quiet_accounts=False, host="127.0.0.1", port=8000, **options):
        password = os.environ.get("MEENT_DEMO_PASSWORD") or "meent-demo-2026"
        steps = (
            len(ORGANISATIONS) + len(PEOPLE) + len(GROUPS) + len(WIKI_PAGES) + len(BLOG_POSTS) + 4
        )
        progress = ProgressBar(steps, label="load_demo", stream=self.stdout)
        with transaction.atomic():
            home = self._home_page(host, port)
            progress.advance(item="home page")
            roles = self._staff_groups(home)
            progress.advance(item="staff roles")
            for name, slug, website, domains in ORGANISATIONS:
                organisation, _ = Organisation.objects.update_or_create(
                    slug=slug, defaults={"name": name, "website": website}
                )
                for domain in domains:
                    OrganisationDomain.objects.update_or_create(
                        domain=domain, defaults={"organisation": organisation}
                    )
                progress.advance(item=name)
            people = {}
            for email, first, last, job_title, role in PEOPLE:
                people[email] = self._person(email, first, last, job_title, role, roles, password)
                progress.advance(item=email)
            default_site = Site.objects.get(is_default_site=True)
            for name, slug, description, group_settings, member_emails in GROUPS:
                group = self._group(name, slug, description, group_settings, member_emails, people)
                if group.site_id is None:
                    Group.objects.filter(pk=group.pk).update(site=default_site)
                progress.advance(item=name)
            for entry in WIKI_PAGES:
                self._wiki_page(*entry, people=people)
                progress.advance(item=entry[1])
            for entry in BLOG_POSTS:
                self._blog_post(*entry, people=people)
                progress.advance(item=entry[0])
            self._demo_report(people)
            load_toolbox(home, people)
            ensure_statements(home)
            for index in ToolboxIndexPage.objects.all():  # the Dutch and the English toolbox
                ensure_toolbox_roles(index)
            progress.advance(item="toolbox")
            self._second_community(people, port)
            progress.advance(item=DEMO_COMMUNITY_HOST)
        if not quiet_accounts:
            self._print_accounts(password, host, port)

    def _home_page(self, host, port):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        home = site.root_page.specific if site else None
        if not isinstance(home, HomePage):
            root = Page.get_first_root_node()
            home = HomePage(title="Meent", slug="meent-home")
            root.add_child(instance=home)
        # Wagtail starts with localhost:80, where nothing answers: the main community is where
        # the demo is served (again on every run, so a changed PORT is followed).
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": host, "port": port, "root_page": home, "site_name": "Meent"},
        )
        introduction = (
            "Samenwerken over de grenzen van je organisatie: groepen, wiki's, blogs en chat "
            "voor iedereen die voor de publieke zaak werkt."
        )
        if home.introduction != introduction or not home.live:
            home.title = "Meent"
            home.introduction = introduction
            home.save_revision().publish()
        return home

    def _staff_groups(self, home):
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        moderators = ensure_moderator_role()  # moderation/roles.py
        # Community managers get their rights on the toolbox only (toolbox/roles.py, below).
        managers, _ = AuthGroup.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)
        managers.permissions.add(access_admin)
        return {"moderator": moderators, "community_manager": managers}

    def _person(self, email, first, last, job_title, role, roles, password):
        user, created = User.objects.get_or_create(email=email)
        user.first_name, user.last_name, user.job_title = first, last, job_title
        user.is_staff = role is not None
        user.set_password(password)
        user.assign_organisation_from_email(email, save=False)
        user.save()
        if role:
            user.groups.add(roles[role])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _group(self, name, slug, description, group_settings, member_emails, people):
        owner = people[member_emails[0]]
        group, created = Group.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "description": description, **group_settings},
            create_defaults={
                "name": name,
                "description": description,
                "created_by": owner,
                **group_settings,
            },
        )
        if created:
            Activity.objects.create(group=group, verb=Activity.Verb.CREATED, actor=owner)
        roles = [Membership.Role.OWNER, Membership.Role.ADMIN]
        for index, email in enumerate(member_emails):
            role = roles[index] if index < len(roles) else Membership.Role.MEMBER
            _, joined = Membership.objects.get_or_create(
                group=group, user=people[email], defaults={"role": role}
            )
            if joined and index:
                Activity.objects.create(group=group, verb=Activity.Verb.JOINED, actor=people[email])
        return group

    def _wiki_page(self, group_slug, title, parent_title, visibility, author, body, edits, people):
        from wiki import services as wiki
        from wiki.models import WikiPage
        from wiki.rendering import title_key

        group = Group.objects.get(slug=group_slug)
        if WikiPage.objects.filter(group=group, title_key=title_key(title)).exists():
            return
        parent = None
        if parent_title:
            parent = WikiPage.objects.get(group=group, title_key=title_key(parent_title))
        page = wiki.create_page(
            people[author], group, title=title, body=body, parent=parent, visibility=visibility
        )
        for editor, new_body, summary in edits:
            wiki.save_page(
                people[editor],
                page,
                base_revision=page.revision_number,
                title=title,
                body=new_body,
                summary=summary,
            )
            page.refresh_from_db()

    def _blog_post(
        self, slug, author, group_slug, visibility, title, summary, tags, body, comments, people
    ):
        from blog import services as blog
        from blog.models import Post

        if Post.objects.filter(slug=slug).exists():
            return
        group = Group.objects.get(slug=group_slug) if group_slug else None
        post = blog.save_post(
            people[author],
            blog.PostInput(
                title=title,
                summary=summary,
                body=body,
                tags=tags,
                visibility=visibility,
                publish=blog.Publish.NOW,
            ),
            group=group,
            site_id=Site.objects.get(is_default_site=True).pk,  # written on the main community
        )
        Post.objects.filter(pk=post.pk).update(slug=slug)
        post.slug = slug
        for email, text in comments:
            blog.add_comment(people[email], post, text)
            blog.react(people[email], post=post)

    def _demo_report(self, people):
        """One open report, so the moderators' queue (and a group's) has something to show."""
        from blog.models import Comment
        from moderation import services as moderation
        from moderation.models import Report

        if Report.objects.exists():
            return
        for comment in Comment.objects.select_related("post").order_by("pk"):
            for reporter in people.values():
                if reporter.pk == comment.author_id or reporter.is_staff:
                    continue
                try:
                    moderation.report_item(
                        reporter,
                        "comment",
                        comment.pk,
                        "other",
                        "Dit lijkt me reclame voor een eigen bedrijf.",
                    )
                except moderation.ModerationError:
                    continue
                return

    def _second_community(self, people, port):
        """A second community on oost.localhost (browsers resolve *.localhost to this machine):
        its own home, toolbox, theme and group, the same accounts."""
        from communities.services import NewCommunity, create_community
        from themes.models import ThemeSettings

        site = Site.objects.filter(hostname=DEMO_COMMUNITY_HOST).first()
        if site is None:
            site = create_community(
                NewCommunity(
                    name="Regio Oost",
                    hostname=DEMO_COMMUNITY_HOST,
                    port=port,
                    introduction="Gemeenten en waterschappen in het oosten werken hier samen.",
                )
            )
        elif site.port != port:
            site.port = port
            site.save(update_fields=["port"])
        theme = ThemeSettings.for_site(site)
        if not theme.primary_colour or not theme.secondary_colour:
            # Its own colour for the header and buttons and for its links: nothing of the main
            # community's blue is left to make the two look like one place.
            theme.primary_colour = theme.primary_colour or "#7a1f5c"
            theme.secondary_colour = theme.secondary_colour or "#8a2468"
            theme.full_clean()
            theme.save()
        group = self._group(*DEMO_COMMUNITY_GROUP, people)
        if group.site_id != site.pk:
            Group.objects.filter(pk=group.pk).update(site=site)
        return site

    def _print_accounts(self, password, host, port):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (all with the same password):"))
        for email, first, last, _job, role in PEOPLE:
            label = {"moderator": "moderator", "community_manager": "community manager"}.get(
                role, "member"
            )
            self.stdout.write(f"  {email:<32} {first} {last} ({label})")
        self.stdout.write(f"\nPassword: {password}")
        self.stdout.write(
            "Staff (moderator, community manager) set up two-factor sign-in on their first visit "
            "to /admin/."
        )
        self.stdout.write(
            f"Meent is at http://{host}:{port}/; a second community, Regio Oost, at "
            f"http://{DEMO_COMMUNITY_HOST}:{port}/ "
            "(the same accounts)."
        )
