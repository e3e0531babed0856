# The interface language whose readers find an entry (a translated toolbox page); null: every
# language. Nullable, so SQLite adds the column in place and keeps the FTS5 triggers (0004).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_entry_context"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="language",
            field=models.CharField(blank=True, max_length=20, null=True),
        ),
    ]
