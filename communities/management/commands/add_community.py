"""manage.py add_community NAME HOSTNAME [--port 443]: a community with its home and toolbox."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from communities.forms import CommunityForm
from communities.services import NewCommunity, create_community, host_is_allowed


class Command(BaseCommand):
    help = "Add a community: a site with its own host name, home page and toolbox."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("hostname")
        parser.add_argument("--port", type=int, default=443)
        parser.add_argument("--introduction", default="")

    def handle(self, *args, **options):
        form = CommunityForm(
            {
                "name": options["name"],
                "hostname": options["hostname"],
                "port": options["port"],
                "introduction": options["introduction"],
            }
        )
        if not form.is_valid():
            problems = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()
            )
            raise CommandError(
                _("The community was not added. %(problems)s") % {"problems": problems}
            )
        site = create_community(NewCommunity(**form.cleaned_data))
        self.stdout.write(
            self.style.SUCCESS(
                _("The community %(name)s is at %(url)s.")
                % {"name": site.site_name, "url": site.root_url}
            )
        )
        if not host_is_allowed(site.hostname):
            self.stdout.write(
                self.style.WARNING(
                    _("Add %(hostname)s to ALLOWED_HOSTS so that this installation answers for it.")
                    % {"hostname": site.hostname}
                )
            )
