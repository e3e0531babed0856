"""Test data for the file library's plug-ins (search, activity, moderation, privacy, the
matrix): files made through the services, their text read as the background task reads it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files import documents


def put(user, folder, name, data, *, description="", tags="", read=True):
    """Upload ``data`` as ``name`` into ``folder`` by ``user``; with ``read``, its text is read
    at once (the task's body) instead of after the commit."""
    from files import services

    file = services.upload(
        user, folder, SimpleUploadedFile(name, data), description=description, tags=tags
    ).file
    if read:
        services.read_text(file.pk)
    file.refresh_from_db()
    return file


def pdf(*pages: str) -> bytes:
    return documents.make_pdf(list(pages))


def folder(user, parent, name, visibility="inherit"):
    from files import services

    return services.create_folder(user, parent, name, visibility)


def small_world():
    """An open group (Dijken) with an owner, a member and an outsider, and a folder for
    everyone in it."""
    from files import services
    from meent import access
    from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory

    home = OrganisationFactory(name="Waterschap Meent")
    people = {
        "owner": UserFactory(first_name="Olga", last_name="Eigenaar", organisation=home),
        "member": UserFactory(first_name="Mees", last_name="Lid", organisation=home),
        "outsider": UserFactory(first_name="Otto", last_name="Buiten"),
    }
    group = GroupFactory(slug="dijken", name="Dijken", visibility="listed", content_default="open")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["member"], role="member")
    for person in people.values():
        access.forget_memberships(person)
    root = services.root_folder(group)
    public = folder(people["owner"], root, "Openbaar", "public")
    return {"people": people, "group": group, "root": root, "public": public, "home": home}
