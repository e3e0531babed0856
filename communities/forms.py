import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

HOSTNAME = re.compile(r"(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*")


class CommunityForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        help_text=_("The community's name, such as Gemeente Voorbeeld. It is its home page title."),
    )
    hostname = forms.CharField(
        label=_("Host name"),
        max_length=253,
        help_text=_("The web address people use for this community, such as samen.voorbeeld.nl."),
    )
    port = forms.IntegerField(
        label=_("Port"),
        min_value=1,
        max_value=65535,
        initial=443,
        help_text=_("443 for https (normal), 80 for http."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two on the home page. You can change it later."),
    )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the community a name."), code="required")
        return name

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower().rstrip(".")
        if "://" in hostname or "/" in hostname:
            raise forms.ValidationError(
                _("Only the host name, without https:// or a path: such as samen.voorbeeld.nl."),
                code="not_a_hostname",
            )
        if not HOSTNAME.fullmatch(hostname):
            raise forms.ValidationError(
                _(
                    "“%(hostname)s” is not a host name. Use letters, digits and hyphens, with "
                    "dots between the parts, such as samen.voorbeeld.nl."
                ),
                code="not_a_hostname",
                params={"hostname": hostname[:80]},
            )
        return hostname

    def clean(self):
        cleaned = super().clean()
        hostname, port = cleaned.get("hostname"), cleaned.get("port")
        if hostname and port and Site.objects.filter(hostname=hostname, port=port).exists():
            self.add_error(
                "hostname",
                forms.ValidationError(
                    _("There is already a community at %(hostname)s:%(port)s."),
                    code="taken",
                    params={"hostname": hostname, "port": port},
                ),
            )
        return cleaned
