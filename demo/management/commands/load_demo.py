"""Demo data: organisations, people (a moderator and a community manager among them), groups,
wiki pages, blog posts, a report, the toolbox and a second community, from the data files under
demo/content/ (demo/loader.py reads and checks them).

Idempotent: running it again updates what is there and creates nothing twice.
"""

import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Page, Site

from accounts.models import Organisation, OrganisationDomain, User
from demo.discussions import load_discussions
from demo.events import load_events
from demo.files import load_files
from demo.front_pages import load_front_pages
from demo.loader import NL, DemoDataError, pick, read_all
from demo.polls import load_polls
from demo.profile_fields import load_profile_fields
from demo.questions import load_questions
from demo.toolbox import load_toolbox
from groups.models import Activity, Group, Membership
from home.models import HomePage
from home.roles import ensure_front_page_role
from home.statements import ensure_statements
from meent.progress import ProgressBar
from moderation.roles import ensure_moderator_role
from toolbox.models import ToolboxIndexPage
from toolbox.roles import ensure_toolbox_roles


def _group_entry(group):
    return (group["name"], group["slug"], group["description"], group["settings"], group["members"])


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
        try:
            data = read_all()  # every file checked before anything is written
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        organisations = data["organisations.yaml"]["organisations"]
        people_data = data["people.yaml"]["people"]
        groups = data["groups.yaml"]["groups"]
        wiki_pages = data["wiki.yaml"]["pages"]
        blog_posts = data["blog.yaml"]["posts"]
        communities = data["communities.yaml"]
        steps = (
            len(organisations)
            + len(people_data)
            + len(groups)
            + len(wiki_pages)
            + len(blog_posts)
            + 2
            + 1
            + len(communities["others"])
            + 1
            + 1  # files
        )
        progress = ProgressBar(steps, label="load_demo", stream=self.stdout)
        with transaction.atomic():
            home = self._home_page(host, port, communities["main"])
            progress.advance(item="home page")
            roles = self._staff_groups(home)
            progress.advance(item="staff roles")
            for spec in organisations:
                organisation, _ = Organisation.objects.update_or_create(
                    slug=spec["slug"], defaults={"name": spec["name"], "website": spec["website"]}
                )
                for domain in spec["domains"]:
                    OrganisationDomain.objects.update_or_create(
                        domain=domain, defaults={"organisation": organisation}
                    )
                progress.advance(item=spec["name"])
            people = {}
            for spec in people_data:
                email = spec["email"]
                people[email] = self._person(
                    email,
                    spec["first_name"],
                    spec["last_name"],
                    spec["job_title"],
                    spec.get("role"),
                    roles,
                    password,
                )
                progress.advance(item=email)
            default_site = Site.objects.get(is_default_site=True)
            for spec in groups:
                group = self._group(*_group_entry(spec), people)
                if group.site_id is None:
                    Group.objects.filter(pk=group.pk).update(site=default_site)
                progress.advance(item=spec["name"])
            for spec in wiki_pages:
                self._wiki_page(spec, people=people)
                progress.advance(item=spec["title"])
            for spec in blog_posts:
                self._blog_post(spec, people=people)
                progress.advance(item=spec["slug"])
            self._demo_report(people, data["reports.yaml"]["report"])
            load_toolbox(home, people)
            ensure_statements(home)
            for index in ToolboxIndexPage.objects.all():  # the Dutch and the English toolbox
                ensure_toolbox_roles(index)
            progress.advance(item="toolbox")
            for spec in communities["others"]:
                self._other_community(spec, people, port)
                progress.advance(item=spec["hostname"])
            load_events(data, people)  # once the communities and their groups are there
            progress.advance(item="events")
            load_files(data, people)  # in groups of every community
            progress.advance(item="files")
            load_discussions(people)  # in groups of every community
            load_questions(people)  # in groups and on every community
            load_polls(people)  # in groups of every community
            load_profile_fields(data)  # every community's fields, once the communities are there
            load_front_pages(data)  # every community's, once its groups and toolbox are there
        if not quiet_accounts:
            self._print_accounts(people_data, communities, password, host, port)

    def _home_page(self, host, port, main):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        home = site.root_page.specific if site else None
        if not isinstance(home, HomePage):
            root = Page.get_first_root_node()
            home = HomePage(title=main["home"]["title"], slug="meent-home")
            root.add_child(instance=home)
        # Wagtail starts with localhost:80, where nothing answers: the main community is where
        # the demo is served (again on every run, so a changed PORT is followed).
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": host,
                "port": port,
                "root_page": home,
                "site_name": main["site_name"],
            },
        )
        introduction = pick(main["home"]["introduction"], NL)
        if home.introduction != introduction or not home.live:
            home.title = main["home"]["title"]
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
        ensure_front_page_role()  # they build the front pages (home/roles.py)
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

    def _wiki_page(self, spec, people):
        from wiki import services as wiki
        from wiki.models import WikiPage
        from wiki.rendering import title_key

        title, parent_title = spec["title"], spec.get("parent")
        group = Group.objects.get(slug=spec["group"])
        if WikiPage.objects.filter(group=group, title_key=title_key(title)).exists():
            return
        parent = None
        if parent_title:
            parent = WikiPage.objects.get(group=group, title_key=title_key(parent_title))
        page = wiki.create_page(
            people[spec["author"]],
            group,
            title=title,
            body=spec["body"],
            parent=parent,
            visibility=spec["visibility"],
        )
        for edit in spec.get("edits", ()):
            wiki.save_page(
                people[edit["editor"]],
                page,
                base_revision=page.revision_number,
                title=title,
                body=edit["body"],
                summary=edit["summary"],
            )
            page.refresh_from_db()

    def _blog_post(self, spec, people):
        from blog import services as blog
        from blog.models import Post

        slug = spec["slug"]
        if Post.objects.filter(slug=slug).exists():
            return
        group = Group.objects.get(slug=spec["group"]) if spec.get("group") else None
        post = blog.save_post(
            people[spec["author"]],
            blog.PostInput(
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"],
                tags=spec["tags"],
                visibility=spec["visibility"],
                publish=blog.Publish.NOW,
            ),
            group=group,
            site_id=Site.objects.get(is_default_site=True).pk,  # written on the main community
        )
        Post.objects.filter(pk=post.pk).update(slug=slug)
        post.slug = slug
        for comment in spec.get("comments", ()):
            blog.add_comment(people[comment["author"]], post, comment["text"])
            blog.react(people[comment["author"]], post=post)

    def _demo_report(self, people, report):
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
                        report["reason"],
                        report["text"],
                    )
                except moderation.ModerationError:
                    continue
                return

    def _other_community(self, spec, people, port):
        """A community on its own host, e.g. oost.localhost (browsers resolve *.localhost to this
        machine): its own home, toolbox, theme and groups, the same accounts."""
        from communities.services import NewCommunity, create_community
        from themes.models import ThemeSettings

        site = Site.objects.filter(hostname=spec["hostname"]).first()
        if site is None:
            site = create_community(
                NewCommunity(
                    name=spec["name"],
                    hostname=spec["hostname"],
                    port=port,
                    introduction=spec["introduction"],
                )
            )
        elif site.port != port:
            site.port = port
            site.save(update_fields=["port"])
        theme = ThemeSettings.for_site(site)
        if not theme.primary_colour or not theme.secondary_colour:
            # Its own colour for the header and buttons and for its links: nothing of the main
            # community's blue is left to make the two look like one place.
            theme.primary_colour = theme.primary_colour or spec["theme"]["primary_colour"]
            theme.secondary_colour = theme.secondary_colour or spec["theme"]["secondary_colour"]
            theme.full_clean()
            theme.save()
        for group_spec in spec["groups"]:
            group = self._group(*_group_entry(group_spec), people)
            if group.site_id != site.pk:
                Group.objects.filter(pk=group.pk).update(site=site)
        return site

    def _print_accounts(self, people, communities, password, host, port):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (all with the same password):"))
        for spec in people:
            label = {"moderator": "moderator", "community_manager": "community manager"}.get(
                spec.get("role"), "member"
            )
            name = f"{spec['first_name']} {spec['last_name']}"
            self.stdout.write(f"  {spec['email']:<32} {name} ({label})")
        self.stdout.write(f"\nPassword: {password}")
        self.stdout.write(
            "Staff (moderator, community manager) set up two-factor sign-in on their first visit "
            "to /admin/."
        )
        others = [
            f"{spec['name']}, at http://{spec['hostname']}:{port}/"
            for spec in communities["others"]
        ]
        if len(others) == 1:
            others = f"; a second community, {others[0]} (the same accounts)."
        elif others:
            others = f"; other communities (the same accounts): {'; '.join(others)}."
        else:
            others = "."
        self.stdout.write(f"{communities['main']['site_name']} is at http://{host}:{port}/{others}")
