"""The front page is built from blocks (home/blocks.py): a StreamField ``content`` replaces the
rich-text ``body``, whose text becomes the first block (a text block), so nothing written is lost.
The introduction stays a field of its own: it is the page's lead under the title, and adding a
community fills it in (communities/services.py)."""

import home.blocks
import wagtail.fields
import uuid

from django.db import migrations


def body_to_blocks(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    for page in HomePage.objects.exclude(body="").only("pk", "body", "content"):
        blocks = [{"type": "rich_text", "value": page.body, "id": str(uuid.uuid4())}]
        blocks += list(page.content.raw_data) if page.content else []
        page.content = blocks
        page.save(update_fields=["content"])


def blocks_to_body(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    for page in HomePage.objects.only("pk", "body", "content"):
        texts = [b["value"] for b in page.content.raw_data if b["type"] == "rich_text"]
        if texts:
            page.body = "".join(texts)
            page.save(update_fields=["body"])


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0004_statement_pages'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='homepage',
            options={'permissions': [('edit_front_page', 'Can edit and publish the front pages')], 'verbose_name': 'home page'},
        ),
        migrations.AddField(
            model_name='homepage',
            name='content',
            field=wagtail.fields.StreamField([('introduction', 6), ('groups', 9), ('latest_posts', 11), ('toolbox', 15), ('video', 22), ('rich_text', 23), ('links', 29)], blank=True, block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Heading', 'max_length': 200}), 1: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'max_length': 1000}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'Leave empty for no button.', 'label': 'Button label', 'max_length': 80, 'required': False}), 3: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('sign_up', 'Signing up (shown only to visitors who are not signed in)'), ('page', 'A page on this site'), ('url', 'A web address')], 'label': 'The button leads to'}), 4: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'required': False}), 5: ('home.blocks.LinkTargetBlock', (), {'label': 'Web address', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('heading', 0), ('text', 1), ('button_label', 2), ('button_target', 3), ('button_page', 4), ('button_url', 5)]], {}), 7: ('wagtail.blocks.TextBlock', (), {'label': 'Text', 'max_length': 1000, 'required': False}), 8: ('wagtail.blocks.MultipleChoiceBlock', [], {'choices': home.blocks.group_choices, 'help_text': 'Groups of this community; hidden groups cannot be chosen.', 'label': 'Groups'}), 9: ('wagtail.blocks.StructBlock', [[('heading', 0), ('text', 7), ('groups', 8)]], {}), 10: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'label': 'Number of posts', 'max_value': 12, 'min_value': 1}), 11: ('wagtail.blocks.StructBlock', [[('heading', 0), ('count', 10)]], {}), 12: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page', 'page_type': ['toolbox.ToolboxArticlePage', 'toolbox.ToolboxSectionPage', 'toolbox_decisions.DecisionAidPage', 'toolbox_publiccode.PublicCodeToolPage']}), 13: ('wagtail.blocks.ListBlock', (12,), {'help_text': "Leave empty to show the newest articles of this community's toolbox.", 'label': 'Chosen pages', 'required': False}), 14: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'help_text': 'Used when no pages are chosen.', 'label': 'Number of newest articles', 'max_value': 12, 'min_value': 1}), 15: ('wagtail.blocks.StructBlock', [[('heading', 0), ('text', 7), ('pages', 13), ('newest', 14)]], {}), 16: ('wagtail.blocks.CharBlock', (), {'label': 'Title', 'max_length': 200}), 17: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'help_text': 'An uploaded video (MP4, WebM or Ogg), or a web address below.', 'label': 'Video file', 'required': False}), 18: ('home.blocks.WebAddressBlock', (), {'help_text': 'For example https://video.example.org/intro.mp4.', 'label': 'Or the web address of a video file', 'required': False}), 19: ('home.blocks.WebAddressBlock', (), {'help_text': 'The web address of a .vtt file with captions, if there is one.', 'label': 'Captions (WebVTT)', 'required': False}), 20: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('nl', 'Dutch'), ('en', 'English')], 'label': 'Language of the captions'}), 21: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul'], 'help_text': 'Required: everything that is said and shown, for people who cannot watch.', 'label': 'Transcript', 'required': False}), 22: ('wagtail.blocks.StructBlock', [[('title', 16), ('document', 17), ('url', 18), ('captions', 19), ('captions_language', 20), ('transcript', 21)]], {}), 23: ('home.blocks.RichTextBlock', (), {}), 24: ('wagtail.blocks.CharBlock', (), {'label': 'Label', 'max_length': 200}), 25: ('wagtail.blocks.PageChooserBlock', (), {'label': 'Page on this site', 'required': False}), 26: ('home.blocks.LinkTargetBlock', (), {'label': 'Or a web address', 'required': False}), 27: ('wagtail.blocks.StructBlock', [[('label', 24), ('page', 25), ('url', 26)]], {}), 28: ('wagtail.blocks.ListBlock', (27,), {'label': 'Links', 'min_num': 1}), 29: ('wagtail.blocks.StructBlock', [[('heading', 0), ('links', 28)]], {})}, help_text='What everybody sees on the front page, from top to bottom.', verbose_name='blocks'),
        ),
        migrations.RunPython(body_to_blocks, blocks_to_body),
        migrations.RemoveField(
            model_name='homepage',
            name='body',
        ),
    ]
