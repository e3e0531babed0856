"""The publiccode.yml tool: one Wagtail page with a generator ("") and a validator ("validate/")."""

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from . import schema
from .forms import GeneratorForm, ValidatorForm

YAML_CONTENT_TYPE = "application/yaml; charset=utf-8"


class PublicCodeToolPage(RoutablePageMixin, Page):
    """Generate a publiccode.yml from a form, or check one. Nothing is stored."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["toolbox.ToolboxIndexPage", "toolbox.ToolboxSectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("publiccode.yml tool")
        verbose_name_plural = _("publiccode.yml tools")

    @path("", name="generator")
    def generator(self, request):
        result = download_form = None
        if request.method == "POST":
            form = GeneratorForm(request.POST)
            if form.is_valid():
                if request.POST.get("download") == "1":
                    response = HttpResponse(form.yaml, content_type=YAML_CONTENT_TYPE)
                    response["Content-Disposition"] = 'attachment; filename="publiccode.yml"'
                    return response
                result = form.yaml
                # The same data again, for the download button: hidden, and without ids (the
                # visible form has those).
                download_form = GeneratorForm(request.POST, auto_id=False)
        else:
            form = GeneratorForm()
        return self.render(
            request,
            context_overrides={
                "form": form,
                "result": result,
                "download_form": download_form,
                "tool": "generator",
            },
        )

    @path("validate/", name="validator")
    def validator(self, request):
        report = None
        if request.method == "POST":
            form = ValidatorForm(request.POST, request.FILES)
            if form.is_valid():
                report = schema.validate_text(form.source())
        else:
            form = ValidatorForm()
        return self.render(
            request,
            template="toolbox_publiccode/validator.html",
            context_overrides={"form": form, "report": report, "tool": "validator"},
        )
