"""Entries keep their rendered body (feeds.markup): existing entries get theirs here."""

from django.db import migrations, models

from feeds.markup import render_body


def render_existing_entries(apps, schema_editor):
    Entry = apps.get_model("feeds", "Entry")
    for entry in Entry.objects.only("pk", "body").iterator():
        # update(), not save(): an entry rendered here has not changed (updated_at).
        Entry.objects.filter(pk=entry.pk).update(body_html=render_body(entry.body))


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="entry",
            name="body",
            field=models.TextField(help_text="Markdown. Raw HTML is sanitised away."),
        ),
        migrations.AddField(
            model_name="entry",
            name="body_html",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(render_existing_entries, migrations.RunPython.noop, elidable=True),
    ]
