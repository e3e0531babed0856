from django.db import migrations


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in ("nl", "en"):
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [("home", "0002_home_page_as_site_root"), ("wagtailcore", "0054_initial_locale")]

    operations = [migrations.RunPython(add_locales, migrations.RunPython.noop)]
