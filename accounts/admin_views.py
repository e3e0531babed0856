"""Moderators manage people and organisations in the Wagtail admin.

The viewsets live in wagtail_hooks.py; this module has their views, forms and the permission
policy that lets only moderators (``meent.access.is_moderator``) in.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import EditView as SnippetEditView

from meent import access, audit, converters

from .models import (
    SUSPENDED_FOR_GOOD_FROM,
    Organisation,
    OrganisationDomain,
    OrganisationSignIn,
    User,
    is_for_good,
)

# ---------------------------------------------------------------------------------------------
# Who may


class ModeratorPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, but only for moderators and only for ``actions``: the admin
    views of people and groups pass the access policy as well as the permission tables."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return (
            action in self.actions
            and access.is_moderator(user)
            and super().user_has_permission(user, action)
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def require_moderator(request, *perms):
    user = request.user
    if not access.is_moderator(user) or not all(user.has_perm(perm) for perm in perms):
        raise PermissionDenied


def moderator_menu_item(viewset):
    """A menu item shown to whoever the viewset's policy lets in (only moderators)."""

    def is_shown(_self, request):
        return viewset.policy.user_has_any_permission(request.user, ["view", "change"])

    return type(f"{viewset.model.__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})


class ModeratorViewSet(ModelViewSet):
    """A viewset for moderators only: every view asks ``policy`` (the access policy's
    ``is_moderator`` and the model permissions); nothing is added or deleted here."""

    add_to_admin_menu = True
    copy_view_enabled = False
    # Ids in range only (meent/converters.py): a number beyond the database's is a 404.
    pk_path_converter = converters.NAME
    # No "usage" counts: indexing every save of a person (each sign-in) is not worth it.
    add_to_reference_index = False
    search_backend_name = None
    actions = ("view", "change")

    @property
    def policy(self):
        return ModeratorPermissionPolicy(self.model, self.actions)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(permission_policy=self.policy, **kwargs)

    @property
    def menu_item_class(self):
        return moderator_menu_item(self)


# ---------------------------------------------------------------------------------------------
# People


class Status:
    ACTIVE = "active"
    SUSPENDED = "suspended"
    FOR_GOOD = "for_good"
    DEACTIVATED = "deactivated"

    choices = [
        (ACTIVE, _("Active")),
        (SUSPENDED, _("Suspended for a while")),
        (FOR_GOOD, _("Suspended for good")),
        (DEACTIVATED, _("Deactivated")),
    ]


def _for_good_from():
    return SUSPENDED_FOR_GOOD_FROM


def status_q(status):
    now = timezone.now()
    not_suspended = Q(suspended_until__isnull=True) | Q(suspended_until__lte=now)
    if status == Status.ACTIVE:
        return Q(is_active=True) & not_suspended
    if status == Status.SUSPENDED:
        return Q(is_active=True, suspended_until__gt=now, suspended_until__lt=_for_good_from())
    if status == Status.FOR_GOOD:
        return Q(is_active=True, suspended_until__gte=_for_good_from())
    if status == Status.DEACTIVATED:
        return Q(is_active=False)
    return Q()


def person_status(person) -> str:
    if not person.is_active:
        return gettext("Deactivated")
    if person.is_suspended:
        if is_for_good(person.suspended_until):
            return gettext("Suspended for good")
        until = timezone.localtime(person.suspended_until)
        return gettext("Suspended until %(date)s") % {"date": date_format(until, "DATE_FORMAT")}
    return gettext("Active")


class PeopleFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    is_staff = django_filters.BooleanFilter(label=_("Staff"), widget=BooleanRadioSelect)
    date_joined = django_filters.DateFromToRangeFilter(
        label=_("Joined"), widget=DateRangePickerWidget
    )

    class Meta:
        model = User
        fields = []

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value)) if value else queryset


class WordsSearchMixin:
    """Every word of the query in one of the search fields ("Anna Jansen" finds Anna Jansen)."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        for word in self.search_query.split()[:10]:
            query = Q()
            for field in self.search_fields:
                query |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(query)
        return queryset


class PeopleIndexView(WordsSearchMixin, generic.IndexView):
    def get_base_queryset(self):
        return User.objects.select_related("organisation")

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        return [
            title_column(
                "name",
                label=_("Name"),
                accessor="display_name",
                sort_key="first_name",
                get_url=self.get_edit_url,
            ),
            Column("email", label=_("E-mail address"), sort_key="email"),
            Column("organisation", label=_("Organisation"), sort_key="organisation__name"),
            Column("status", label=_("Status"), accessor=person_status),
            BooleanColumn("is_staff", label=_("Staff"), sort_key="is_staff"),
            DateColumn("date_joined", label=_("Joined"), sort_key="date_joined"),
            DateColumn("last_login", label=_("Last login"), sort_key="last_login"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.extend(suspension_buttons(self.request.user, instance, Button))
        return buttons


def suspension_buttons(user, person, button_class):
    if not access.is_moderator(user) or person.pk == user.pk:
        return []
    if person.is_superuser and not user.is_superuser:
        return []
    if person.is_suspended:
        return [
            button_class(
                _("Lift suspension"),
                url=reverse("moderation_admin:lift_suspension", args=[person.pk]),
                icon_name="lock-open",
                priority=40,
            )
        ]
    return [
        button_class(
            _("Suspend"),
            url=reverse("moderation_admin:suspend", args=[person.pk]),
            icon_name="lock",
            priority=40,
        )
    ]


class PersonForm(forms.ModelForm):
    """What a moderator may change about a person: never the password, the e-mail address (it
    places them in their organisation), the suspension (its own form, with a reason) or rights."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "organisation", "is_active"]


class PersonEditView(generic.EditView):
    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        # As with suspending: only an administrator changes an administrator.
        if person.is_superuser and not self.request.user.is_superuser:
            raise PermissionDenied
        return person

    @cached_property
    def header_buttons(self):
        return suspension_buttons(self.request.user, self.object, HeaderButton)


class ModeratorFormView(WagtailAdminTemplateMixin, FormView):
    """A moderator's form about one object in the admin: errors re-render the form."""

    template_name = "accounts/admin/form.html"
    model = None
    permissions: tuple[str, ...] = ()
    index_url_name = ""
    edit_url_name = ""
    submit_label = _("Save")

    def dispatch(self, request, *args, **kwargs):
        require_moderator(request, *self.permissions)
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": self.model._meta.verbose_name_plural.capitalize(),
            },
            {"url": reverse(self.edit_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            action_url=self.request.path,
            submit_button_label=self.submit_label,
            submit_button_active_label=self.submit_label,
        )
        return context

    def form_error(self, form, message):
        form.add_error(None, message)
        messages.error(self.request, message)
        return self.form_invalid(form)

    def form_invalid(self, form):
        if not any(m.level == messages.ERROR for m in messages.get_messages(self.request)):
            messages.error(self.request, gettext("The form could not be saved: see below."))
        return super().form_invalid(form)

    def get_success_url(self):
        return reverse(self.index_url_name)


# ---------------------------------------------------------------------------------------------
# Organisations


class OrganisationEditView(SnippetEditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if access.is_moderator(self.request.user) and self.request.user.has_perms(
            ["accounts.change_organisation", "accounts.delete_organisation"]
        ):
            buttons.append(
                Button(
                    _("Organisation sign-in"),
                    url=reverse(
                        "wagtailsnippets_accounts_organisation:sign_in", args=[self.object.pk]
                    ),
                    icon_name="key",
                    priority=30,
                )
            )
            buttons.append(
                Button(
                    _("Merge into another organisation"),
                    url=reverse(
                        "wagtailsnippets_accounts_organisation:merge", args=[self.object.pk]
                    ),
                    icon_name="resubmit",
                    priority=40,
                )
            )
        return buttons


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Organisation to keep"),
        queryset=Organisation.objects.none(),
        help_text=_("Its people and e-mail domains stay; this organisation's join them."),
    )

    def __init__(self, *args, duplicate, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = duplicate
        self.fields["keep"].queryset = Organisation.objects.exclude(pk=duplicate.pk)


class MergeError(Exception):
    pass


def merge_organisations(moderator, duplicate, keep):
    """Move the people and e-mail domains of ``duplicate`` to ``keep`` and delete ``duplicate``,
    in one transaction. Returns (people moved, domains moved)."""
    from search import indexing

    if not access.is_moderator(moderator):
        raise PermissionDenied
    if duplicate.pk == keep.pk:
        raise MergeError(gettext("Choose another organisation: one cannot merge into itself."))
    with transaction.atomic():
        # Lock both (in a fixed order) so that two merges cannot cross.
        locked = list(
            Organisation.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, keep.pk])
            .order_by("pk")
        )
        if len(locked) != 2:
            raise MergeError(gettext("One of the organisations no longer exists."))
        name = duplicate.name
        person_ids = list(
            User.objects.filter(organisation_id=duplicate.pk).values_list("pk", flat=True)
        )
        domains = OrganisationDomain.objects.filter(organisation_id=duplicate.pk).update(
            organisation=keep
        )
        # update() sends no signals: the search index is told below.
        User.objects.filter(pk__in=person_ids).update(organisation=keep)
        audit.record(
            keep,
            "meent.organisation.merge",
            moderator,
            merged=name,
            people=len(person_ids),
            domains=domains,
        )
        Organisation.objects.filter(pk=duplicate.pk).delete()
        # People and everything whose access follows their organisation (posts for "my
        # organisation") are indexed again after the commit.
        indexing.queue_ids("person", person_ids)
        for person in User.objects.filter(pk__in=person_ids).only("pk"):
            indexing.queue_related(person)
    return len(person_ids), domains


class MergeOrganisationView(ModeratorFormView):
    model = Organisation
    form_class = MergeForm
    permissions = ("accounts.change_organisation", "accounts.delete_organisation")
    template_name = "accounts/admin/merge_organisation.html"
    index_url_name = "wagtailsnippets_accounts_organisation:list"
    edit_url_name = "wagtailsnippets_accounts_organisation:edit"
    page_title = _("Merge into another organisation")
    header_icon = "resubmit"
    submit_label = _("Merge")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "duplicate": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            people_count=User.objects.filter(organisation=self.object).count(),
            domains=list(self.object.domains.values_list("domain", flat=True)),
        )
        return context

    def form_valid(self, form):
        keep = form.cleaned_data["keep"]
        try:
            people, domains = merge_organisations(self.request.user, self.object, keep)
        except MergeError as error:
            return self.form_error(form, str(error))
        messages.success(
            self.request,
            gettext(
                "%(merged)s is merged into %(kept)s: %(people)s people and %(domains)s "
                "e-mail domains moved."
            )
            % {"merged": self.object.name, "kept": keep.name, "people": people, "domains": domains},
        )
        return redirect(reverse(self.edit_url_name, args=[keep.pk]))


# ---------------------------------------------------------------------------------------------
# An organisation's own sign-in (accounts/oidc.py)


class OrganisationSignInForm(forms.ModelForm):
    """The identity provider's details. The secret is never sent back to the browser: the field
    is empty, its help says which secret is stored (its last characters at most), and left
    empty it keeps that one."""

    class Meta:
        model = OrganisationSignIn
        fields = ["issuer", "client_id", "client_secret", "enabled", "required"]
        widgets = {"client_secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_secret = self.instance.client_secret if self.instance.pk else ""
        field = self.fields["client_secret"]
        field.widget.attrs["autocomplete"] = "off"
        if self.stored_secret:
            field.required = False
            field.help_text = gettext(
                "Stored: %(masked)s. Leave empty to keep it; type a new one to replace it."
            ) % {"masked": self.instance.masked_secret}
        self.fields["issuer"].widget.attrs["placeholder"] = "https://login.example.nl"

    def clean_issuer(self):
        return self.cleaned_data["issuer"].strip().rstrip("/")

    def clean_client_secret(self):
        return self.cleaned_data.get("client_secret") or self.stored_secret


class OrganisationSignInView(ModeratorFormView):
    model = Organisation
    form_class = OrganisationSignInForm
    permissions = ("accounts.change_organisation",)
    template_name = "accounts/admin/organisation_sign_in.html"
    index_url_name = "wagtailsnippets_accounts_organisation:list"
    edit_url_name = "wagtailsnippets_accounts_organisation:edit"
    page_title = _("Organisation sign-in")
    header_icon = "key"

    def get_form_kwargs(self):
        sign_in = OrganisationSignIn.objects.filter(organisation=self.object).first()
        return {
            **super().get_form_kwargs(),
            "instance": sign_in or OrganisationSignIn(organisation=self.object),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        callback = reverse("openid_connect_callback", kwargs={"provider_id": self.object.slug})
        context.update(
            redirect_uri=self.request.build_absolute_uri(callback),
            domains=list(self.object.domains.values_list("domain", flat=True)),
        )
        return context

    def form_valid(self, form):
        sign_in = form.save()
        # Never the secret: what a reader of the log may know.
        audit.record(
            self.object,
            "meent.organisation.sign_in",
            self.request.user,
            issuer=sign_in.issuer,
            client_id=sign_in.client_id,
            enabled=gettext("yes") if sign_in.enabled else gettext("no"),
            required=gettext("yes") if sign_in.required else gettext("no"),
        )
        messages.success(
            self.request,
            gettext("The sign-in of %(organisation)s is saved.") % {"organisation": self.object},
        )
        return redirect(reverse(self.edit_url_name, args=[self.object.pk]))
