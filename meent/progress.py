"""A progress bar for management commands: long work shows how far it is."""

import sys


class ProgressBar:
    def __init__(self, total, label="", stream=None, width=30):
        self.total = max(total, 1)
        self.label = label
        # A command's OutputWrapper appends newlines; write to the stream underneath it.
        stream = stream or sys.stdout
        self.stream = getattr(stream, "_out", stream)
        self.width = width
        self.done = 0
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, step=1, item=""):
        self.done = min(self.done + step, self.total)
        filled = round(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label} [{bar}] {self.done}/{self.total} {item}".rstrip()
        if self.interactive:
            self.stream.write("\r\033[K" + line)
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
