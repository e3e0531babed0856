"""The files part of `make bench`: how fast the file library reads documents' text for search.

One run (from tests/perf/bench.py with BENCH_ONLY=files, or all parts; alone with
``python -m tests.perf.filesbench``):

1. in a worker process (``python -m tests.perf.filesbench --worker OUT.json``, the bench's
   settings; no database or Redis is opened), documents made as the tests make them
   (tests/files/documents.py): a PDF of BENCH_FILES_PDF_PAGES (200) pages of text, and a Word
   document, an OpenDocument text, an Excel workbook, an OpenDocument spreadsheet, a PowerPoint
   presentation and a text file of about as many words (BENCH_FILES_PARAGRAPHS, 400 paragraphs
   or rows; the presentation 40 slides);
2. each read BENCH_FILES_ROUNDS (5) times through ``files.extract.extract_text`` exactly as the
   library's background task reads it (a forked child, the shipped limits), after one warm-up:
   pages/s for the PDF, documents/s and p50 ms a document for every kind, and the child's own
   cost (a text file of one line);
3. the hostile cases' cost: a 10,000-page PDF stopped at the page limit, a DOCX zip bomb
   refused, a reader stopped at a 1 s time limit.

The results go under "files". The part fails (exit 1) when a document was not read ("done"), or
a hostile one was not stopped as it should be.

Environment: BENCH_FILES_PDF_PAGES (200), BENCH_FILES_PARAGRAPHS (400), BENCH_FILES_ROUNDS (5).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

from .harness import BenchError, env_number, environment, fmt, load_average, run_python
from .report import render_table

# The words of the documents' sentences, in turns.
WORDS = (
    "de gemeente werkt samen met het waterschap aan een plan voor schoon water in de stad en "
    "bespreekt de begroting van het volgende jaar met de provincie"
)


def read_config(environ):
    return {
        "pdf_pages": env_number(environ, "BENCH_FILES_PDF_PAGES", 200, int, low=1, high=10_000),
        "paragraphs": env_number(environ, "BENCH_FILES_PARAGRAPHS", 400, int, low=1, high=100_000),
        "rounds": env_number(environ, "BENCH_FILES_ROUNDS", 5, int, low=1, high=1000),
    }


def run(tmp, say, environ=None):
    """Run the files part: (results for the JSON file, exit status)."""
    environ = dict(os.environ if environ is None else environ)
    config = read_config(environ)
    log_dir = tmp / "files"
    log_dir.mkdir(parents=True, exist_ok=True)
    # A database URL that nothing opens: reading text never touches the database.
    env = environment(environ, tmp, f"sqlite:///{log_dir / 'unused.sqlite3'}", LOG_LEVEL="WARNING")
    out = log_dir / "measured.json"
    load_before = load_average()
    say(
        f"bench: files: a {config['pdf_pages']}-page PDF and documents of "
        f"{config['paragraphs']} paragraphs, each read {config['rounds']} times"
    )
    seconds = run_python(
        ["-m", "tests.perf.filesbench", "--worker", str(out)], env, log_dir / "worker.log", 1800
    )
    measured = json.loads(out.read_text())
    say(f"bench: files: worker done ({seconds:.1f} s)")
    results = {"settings": config, "load_average_1m_before": load_before, **measured}
    problems = problems_in(results)
    results["problems"] = problems
    say("")
    for line in report_lines(results):
        say(line)
    for problem in problems:
        say(f"bench: files FAILED: {problem}")
    return results, 1 if problems else 0


def problems_in(results):
    problems = [
        f"{kind}: {figures['statuses']}"
        for kind, figures in results["documents"].items()
        if figures["statuses"] != ["done"]
    ]
    expected = {"pdf_10000_pages": "done", "docx_zip_bomb": "refused", "time_limit": "timeout"}
    for name, status in expected.items():
        if results["hostile"][name]["status"] != status:
            problems.append(f"{name}: {results['hostile'][name]['status']}, not {status}")
    return problems


def report_lines(results):
    rows = [
        [
            kind,
            figures["size"],
            f"{figures['bytes'] // 1024} KB",
            fmt(figures["documents_per_second"], 1),
            fmt(figures["pages_per_second"], 0) if "pages_per_second" in figures else "",
            fmt(figures["p50_ms"], 0),
            fmt(figures["characters"] / 1000, 0),
        ]
        for kind, figures in results["documents"].items()
    ]
    hostile = results["hostile"]
    return [
        f"Document text for search (files/extract.py), {results['rounds']} reads each "
        f"in a child process; the child alone: {fmt(results['child_ms'], 1)} ms",
        "",
        render_table(
            rows,
            ["kind", "size", "file", "docs/s", "pages/s", "p50 ms", "k chars"],
            ["<", "<", ">", ">", ">", ">", ">"],
        ),
        "",
        "Hostile documents: "
        + "; ".join(
            f"{name} {figures['status']} in {fmt(figures['ms'], 0)} ms"
            for name, figures in hostile.items()
        ),
    ]


# --- in the worker process ------------------------------------------------------------------------


def sentence(number):
    words = WORDS.split()
    return " ".join(words[(number + i) % len(words)] for i in range(12)).capitalize() + "."


def make_documents(config):
    """(kind, content type, bytes, size description) for each kind measured."""
    from tests.files import documents

    paragraphs = config["paragraphs"]
    lines = [sentence(number) for number in range(paragraphs)]
    page = "\n".join(sentence(number) for number in range(40))  # a full page of text
    rows = [
        [f"Regel {number}", *sentence(number).split()[:6], number] for number in range(paragraphs)
    ]
    slides = [f"Dia {n}\n" + "\n".join(lines[n * 10 : n * 10 + 10]) for n in range(40)]
    return [
        ("pdf", documents.PDF, documents.make_pdf([page] * config["pdf_pages"]),
         f"{config['pdf_pages']} pages"),
        ("docx", documents.DOCX, documents.make_docx("\n".join(lines)), f"{paragraphs} paragraphs"),
        ("odt", documents.ODT, documents.make_odt("\n".join(lines)), f"{paragraphs} paragraphs"),
        ("xlsx", documents.XLSX, documents.make_xlsx(rows), f"{paragraphs} rows"),
        ("ods", documents.ODS, documents.make_ods(rows), f"{paragraphs} rows"),
        ("pptx", documents.PPTX, documents.make_pptx(slides), "40 slides"),
        ("text", documents.TEXT, documents.make_text("\n".join(lines)), f"{paragraphs} lines"),
    ]  # fmt: skip


def timed(data, content_type):
    from files.extract import extract_text

    started = time.perf_counter()
    result = extract_text(data, content_type)
    return result, time.perf_counter() - started


def measure_documents(config):
    measured = {}
    for kind, content_type, data, size in make_documents(config):
        timed(data, content_type)  # warm-up
        runs = [timed(data, content_type) for _ in range(config["rounds"])]
        total = sum(seconds for _result, seconds in runs)
        last = runs[-1][0]
        figures = {
            "size": size,
            "bytes": len(data),
            "statuses": sorted({result.status for result, _seconds in runs}),
            "pages": last.pages,
            "characters": len(last.text),
            "documents_per_second": round(len(runs) / total, 2),
            "p50_ms": round(statistics.median(seconds for _r, seconds in runs) * 1000, 1),
        }
        if kind == "pdf":
            figures["pages_per_second"] = round(last.pages * len(runs) / total, 1)
        measured[kind] = figures
    return measured


def measure_hostile():
    from django.test import override_settings

    from files import extract
    from tests.files import documents

    cases = {
        "pdf_10000_pages": (documents.make_many_pages_pdf(10_000), documents.PDF),
        "docx_zip_bomb": (documents.make_docx_zip_bomb(), documents.DOCX),
    }
    hostile = {}
    for name, (data, content_type) in cases.items():
        result, seconds = timed(data, content_type)
        hostile[name] = {"status": result.status, "reason": result.reason, "ms": seconds * 1000}

    def slow(stream, limits, out, pages):
        time.sleep(60)

    readers = dict(extract.READERS)
    extract.READERS["text"] = slow
    try:
        with override_settings(MEENT_FILES_EXTRACT_SECONDS=1):
            result, seconds = timed(b"slow", documents.TEXT)
    finally:
        extract.READERS.update(readers)
    hostile["time_limit"] = {"status": result.status, "reason": result.reason, "ms": seconds * 1000}
    return hostile


def worker(out_path):
    import django

    django.setup()
    from django.conf import settings

    config = read_config(os.environ)
    documents = measure_documents(config)
    child = [timed(b"een regel", "text/plain")[1] for _ in range(max(config["rounds"], 10))]
    measured = {
        "rounds": config["rounds"],
        "limits": {
            name: getattr(settings, f"MEENT_FILES_EXTRACT_{name.upper()}")
            for name in ("seconds", "memory", "pages", "characters")
        },
        "documents": documents,
        "child_ms": round(statistics.median(child) * 1000, 1),
        "hostile": measure_hostile(),
    }
    Path(out_path).write_text(json.dumps(measured, indent=2))


def main():
    """``python -m tests.perf.filesbench`` runs the part alone (BENCH_ONLY=files does too)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="meent-filesbench-") as tmp:
        try:
            _results, status = run(Path(tmp), lambda message: print(message, flush=True))
        except BenchError as error:
            print(f"bench: files ERROR: {error}", flush=True)
            return 2
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
