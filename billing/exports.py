"""CSV and XLSX exports of the dashboard's company table, streamed row by row."""

import csv
import itertools
import tempfile

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils.text import capfirst

from billing.dashboard import FLAGS, row_flags
from billing.models import COUNTER_COLUMNS, MonthlyUsage

# A spreadsheet may run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "Company",
    "Parent",
    "Type",
    "Month",
    "Monthly licence",
    "Minimum endpoints",
    "Reserved seats",
    "Billable endpoints",
    "Flags",
    *(capfirst(MonthlyUsage._meta.get_field(column).verbose_name) for column, _counter in COUNTER_COLUMNS),
]


def neutralize(value):
    """Return a text cell that a spreadsheet shows as text; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_rows(rows):
    """Yield the header, then one list of cells per usage row."""
    yield HEADER
    for row in rows.iterator(chunk_size=500):
        company = row.company
        subscription = getattr(company, "subscription", None)
        cells = [
            company.name,
            company.parent.name if company.parent_id else "",
            company.get_company_type_display(),
            f"{row.month:%Y-%m}",
            "yes" if row.has_monthly_license else "no",
            row.minimum_endpoints,
            subscription.reserved_slots if subscription else None,
            row.billable_endpoints if row.has_monthly_license else None,
            "; ".join(FLAGS[flag] for flag in row_flags(row)),
            *(getattr(row, column) for column, _counter in COUNTER_COLUMNS),
        ]
        yield [neutralize(cell) for cell in cells]


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value):
        return value


def csv_response(rows, filename):
    writer = csv.writer(_Echo())
    lines = (writer.writerow(["" if cell is None else cell for cell in cells]) for cells in table_rows(rows))
    # The byte order mark makes Excel read the file as UTF-8, so "À la carte" stays readable.
    response = StreamingHttpResponse(itertools.chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(rows, filename):
    """Write the workbook row by row to a temporary file and stream that file."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once it is sent
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Usage")
    for row_number, cells in enumerate(table_rows(rows)):
        for column_number, cell in enumerate(cells):
            if isinstance(cell, str):
                sheet.write_string(row_number, column_number, cell)
            elif cell is not None:
                sheet.write_number(row_number, column_number, cell)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
