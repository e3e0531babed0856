"""CI check: every translatable string is extracted, translated into Dutch and compiled.

Runs makemessages, compares the extracted strings with the committed catalogues (and restores
them), then checks that no Dutch entry is missing or fuzzy and that each committed .mo file is
exactly what msgfmt makes of its .po file. Prints what to do when something is off.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "meent" / "locale"
LANGUAGES = ["nl", "en"]
MUST_TRANSLATE = ["nl"]  # the source strings are English


def catalogue(lang):
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def main():
    problems = []
    committed = {lang: catalogue(lang).read_bytes() for lang in LANGUAGES}
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "--no-location",
                "--no-obsolete",
                *[arg for lang in LANGUAGES for arg in ("--locale", lang)],
                "--ignore",
                ".venv/*",
                "--ignore",
                "node_modules/*",
                "--ignore",
                "tests/*",
                "--ignore",
                "static_collected/*",
                "--ignore",
                "build/*",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        )
        for lang in LANGUAGES:
            extracted = msgids(polib.pofile(str(catalogue(lang))))
            old = msgids(polib.pofile(committed[lang].decode()))
            for _context, msgid in sorted(extracted - old, key=lambda item: item[1]):
                problems.append(f"{lang}: new string not in the catalogue: {msgid!r}")
            for _context, msgid in sorted(old - extracted, key=lambda item: item[1]):
                problems.append(f"{lang}: string no longer in the code: {msgid!r}")
    finally:
        for lang, content in committed.items():
            catalogue(lang).write_bytes(content)

    for lang in MUST_TRANSLATE:
        po = polib.pofile(str(catalogue(lang)))
        for entry in po.untranslated_entries():
            problems.append(f"{lang}: untranslated: {entry.msgid!r}")
        for entry in po.fuzzy_entries():
            problems.append(f"{lang}: fuzzy (check and remove the flag): {entry.msgid!r}")

    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            compiled = Path(tmp) / f"{lang}.mo"
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(compiled), str(catalogue(lang))], check=True
            )
            mo = catalogue(lang).with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != compiled.read_bytes():
                problems.append(f"{lang}: {mo.relative_to(ROOT)} is not compiled from its .po")

    if problems:
        print("Translations are not up to date:")
        for problem in problems:
            print(f"  - {problem}")
        print(
            "Run `make messages`, translate the Dutch entries, run `make messages` again, commit."
        )
        return 1
    print(f"Translations complete and compiled ({', '.join(LANGUAGES)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
