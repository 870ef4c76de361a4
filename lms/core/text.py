"""Text folded for searching people by name, the same way on SQLite and PostgreSQL."""

import unicodedata

#: casefold can lengthen a name (ß -> ss), so the key column is wider than the name
SEARCH_KEY_LENGTH = 240


def search_key(text):
    """`text` compatibility-normalized, without accents, case-folded, with single spaces:
    "Chloé  Ŋa" -> "chloe ŋa". SQLite's lower() leaves every non-ASCII letter as it is, so a
    search for "ŋa" or "chloe" could never find these names with lower() in SQL."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    unaccented = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", unaccented).casefold().split())[:SEARCH_KEY_LENGTH]


def search_key_default(column):
    """A column default that derives the key from `column` of the row being inserted: it covers
    bulk Core inserts, which skip the ORM's validators."""
    def default(context):
        return search_key(context.get_current_parameters().get(column))
    return default
