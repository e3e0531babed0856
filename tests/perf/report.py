"""Plain-text tables for the benchmark reports."""


def render_table(rows, headers, align):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(cell).rjust(width) if side == ">" else str(cell).ljust(width)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *map(line, rows)])
