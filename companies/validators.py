import re
import unicodedata

from django.core.exceptions import ValidationError

# Unicode categories of control and invisible characters: Cc (control), Cf (format, e.g.
# zero-width space), Co (private use), Cs (surrogates) and Cn (unassigned).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
HTML_TAG = re.compile(r"<[^>]*>")


def normalize_name(name):
    """Return `name` in Unicode NFC with runs of white space turned into single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def name_key(name):
    """Return the form of a name that uniqueness is checked on: normalized and case-folded.

    Case folding maps "ß" to "ss" and "Ä" to "ä", which SQL's lower() does not do everywhere.
    """
    return normalize_name(name).casefold()


def validate_visible_characters(value):
    invisible = [char for char in value if unicodedata.category(char) in INVISIBLE_CATEGORIES]
    if invisible:
        code_point = f"U+{ord(invisible[0]):04X}"
        raise ValidationError(
            "Remove the control or invisible character (%(code_point)s); names must be plain text.",
            code="invisible_character",
            params={"code_point": code_point},
        )


def validate_no_html(value):
    if HTML_TAG.search(value):
        raise ValidationError("Remove the HTML tags; GravityZone accepts plain text only.", code="html")


def validate_industry(value):
    """Accept GravityZone's industry codes: 0, a main sector 1 to 34, or a sub-sector such as 101 or 3415."""
    sector = value // 100 if value >= 100 else value
    if value > 3499 or not 0 <= sector <= 34 or (value >= 100 and sector == 0):
        raise ValidationError(
            "Enter 0 for none, a main sector from 1 to 34, or a sub-sector code such as 101 or 3415.",
            code="industry",
        )
