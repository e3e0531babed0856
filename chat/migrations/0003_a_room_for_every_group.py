"""Every group has a chat room from the start (chat/signals.py makes one for each new group);
groups made before that get theirs here, so /chat/ lists them without anyone opening the tab."""

from django.db import migrations


def create_rooms(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    Room = apps.get_model("chat", "Room")
    missing = Group.objects.exclude(pk__in=Room.objects.filter(group__isnull=False).values("group"))
    Room.objects.bulk_create([Room(kind="group", group_id=pk) for pk in missing.values_list("pk", flat=True)])


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0002_moderation_hidden"),
        ("groups", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_rooms, migrations.RunPython.noop)]
