"""The one HTML policy: Markdown rendered by CommonMark, then cleaned by bleach's allow-list."""

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
SAFE_REL = "noopener noreferrer"

_markdown = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _set_safe_rel(attrs, new=False):
    attrs[(None, "rel")] = SAFE_REL
    return attrs


_linker = Linker(callbacks=[_set_safe_rel], skip_tags={"pre", "code"}, parse_email=False)


def clean_html(html):
    """Clean untrusted HTML with the allow-list and mark every link noopener noreferrer."""
    return _linker.linkify(_cleaner.clean(html))


def render_markdown(source):
    """Render authored Markdown to HTML that is safe to insert into a page."""
    return clean_html(_markdown.render(source))
