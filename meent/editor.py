"""The browser's rich-text editor (meent/frontend/editor.js): the words it shows, translated here.

The editor is a progressive enhancement of a ``<textarea data-rich-text>``: without JavaScript the
textarea stays and the server cleans what it posts (meent/sanitize.py), with JavaScript the editor
writes the same HTML back into it. Its JavaScript has no words of its own: every label, help text
and error message comes from ``rich_text_strings()``, rendered into the page as JSON.

The textarea's data attributes:

- ``data-rich-text``: turn this textarea into the editor.
- ``data-upload-url``: optional; where the editor POSTs an image or file (field ``file``, the CSRF
  token in ``X-CSRFToken``). The answer is ``201 {"url", "name", "is_image"}`` or
  ``4xx {"error"}``. Without it there is no upload button.
- ``data-wiki-titles-url``: optional; a GET answering ``{"titles": [...]}``, offered as suggestions
  in the wiki-link dialog.
- ``data-mentions-url``: optional; the people picker's GET ``?q=`` answering
  ``{"people": [{"id", "name", "organisation", "url"}]}``: typing "@" and letters offers people,
  and the one chosen is written as ``<a class="mention" data-person="42" href="…">@Name</a>``.
- ``data-files-url``: optional; a group's files (files/download_views.py ``pick``), a GET ``?q=``
  answering ``{"files": [{"name", "folder", "url"}]}``: the link dialog offers them, and the one
  chosen is linked to its current version.
"""

from django.utils.translation import gettext as _


def rich_text_strings() -> dict[str, str]:
    """Every text that the editor shows, in the active language, keyed by the name editor.js uses."""
    return {
        # The toolbar and the editable area.
        "toolbar": _("Text formatting"),
        "keyboard_help": _(
            "Alt+F10 moves to the toolbar and Escape back to the text. "
            "To leave the editor, press Escape and then Tab."
        ),
        "paragraph": _("Normal text"),
        "paragraph_short": _("¶"),
        "heading_2": _("Heading level 2"),
        "heading_3": _("Heading level 3"),
        "heading_4": _("Heading level 4"),
        "bold": _("Bold"),
        "bold_short": _("B"),
        "italic": _("Italic"),
        "italic_short": _("I"),
        "strike": _("Strikethrough"),
        "strike_short": _("S"),
        "code": _("Code"),
        "bullet_list": _("Bulleted list"),
        "ordered_list": _("Numbered list"),
        "blockquote": _("Quote"),
        "code_block": _("Code block"),
        "horizontal_rule": _("Horizontal line"),
        "link": _("Link"),
        "wiki_link": _("Link to a wiki page"),
        "table": _("Insert table"),
        "table_group": _("Table"),
        "add_row": _("Add row"),
        "add_column": _("Add column"),
        "delete_row": _("Delete row"),
        "delete_column": _("Delete column"),
        "delete_table": _("Delete table"),
        "upload": _("Add image or file"),
        "undo": _("Undo"),
        "redo": _("Redo"),
        # Buttons shared by the dialogs.
        "save": _("Save"),
        "insert": _("Insert"),
        "cancel": _("Cancel"),
        # The link dialog.
        "link_dialog_title": _("Link"),
        "link_url_label": _("Web address"),
        "link_url_help": _(
            "For example https://www.example.nl, /groups/ or mailto:name@example.nl."
        ),
        "link_url_error": _(
            "Enter a web address that starts with https://, http://, mailto: or /."
        ),
        "remove_link": _("Remove link"),
        "link_file_label": _("Or link to a file of this group"),
        "link_file_help": _("Type part of the file's name, then choose the file."),
        "link_file_results": _("Files of this group"),
        "link_files_count": _("%s files found."),
        "link_files_none": _("No files found by that name."),
        "link_files_failed": _("The group's files could not be shown. Please try again."),
        # The wiki-link dialog.
        "wiki_dialog_title": _("Link to a wiki page"),
        "wiki_title_label": _("Page title"),
        "wiki_title_help": _(
            "Type the title of a page; existing pages are suggested as you type. "
            "A link to a page that does not exist yet is fine: it can be written later."
        ),
        "wiki_title_error": _("Enter the title of a page."),
        # The upload dialog.
        "upload_dialog_title": _("Add image or file"),
        "upload_file_label": _("File"),
        "upload_file_error": _("Choose a file."),
        "upload_alt_label": _("Alternative text"),
        "upload_alt_help": _(
            "Describe what the image shows, for people who cannot see it. "
            "Required for images; not used for other files."
        ),
        "upload_alt_error": _("Describe the image in the alternative text."),
        "upload_submit": _("Upload"),
        "upload_busy": _("Uploading…"),
        "upload_failed": _("The upload did not succeed. Please try again."),
        # The people picker: "@" and the start of a name (the same words as in comments).
        "mentions_label": _("People to mention"),
        "mentions_count": _("%s people found: choose with the arrow keys and Enter."),
        "mentions_none": _("Nobody found by that name."),
    }
