"""Replace Wagtail's placeholder welcome page with Meent's home page as the default site's root."""

from django.db import migrations


def install_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    placeholder_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    placeholders = Page.objects.filter(content_type=placeholder_type, depth=2)
    if not placeholders.exists() or HomePage.objects.exists():
        return
    placeholder = placeholders.order_by("path").first()
    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    # Take the placeholder's place in the tree so that the root's child count stays right.
    path, url_path, locale_id = placeholder.path, placeholder.url_path, placeholder.locale_id
    Site.objects.filter(root_page=placeholder).delete()
    placeholder.delete()
    home = HomePage.objects.create(
        title="Meent",
        draft_title="Meent",
        slug="home",
        content_type=home_type,
        path=path,
        depth=2,
        numchild=0,
        url_path=url_path,
        live=True,
        introduction="",
        locale_id=locale_id,
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Meent"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(install_home_page, migrations.RunPython.noop)]
