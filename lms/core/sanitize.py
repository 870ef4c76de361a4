"""The one HTML policy: Markdown rendered by CommonMark, then cleaned by bleach's allow-list."""

import bleach
from bleach.html5lib_shim import Filter
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
#: dropped with everything inside them: stripping only their tags would leave code and CSS as visible text
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
SAFE_REL = "noopener noreferrer"


class _DropElementsWithContent(Filter):
    """Removes DROPPED_WITH_CONTENT elements and everything between their start and end tags."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EndTag", "EmptyTag") and token["name"] in DROPPED_WITH_CONTENT:
                depth = max(depth + {"StartTag": 1, "EndTag": -1}.get(token["type"], 0), 0)
            elif depth == 0:
                yield token


_markdown = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
# bleach strips a disallowed tag but keeps its text, and has no option to drop content. So a first
# pass parses <script> and <style> as elements (allowing them) only so that the filter can remove them
# whole; the second pass is the allow-list itself, and would strip any such tag that got through.
_content_dropper = bleach.Cleaner(
    tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_DropElementsWithContent],
)
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
    return _linker.linkify(_cleaner.clean(_content_dropper.clean(html)))


def render_markdown(source):
    """Render authored Markdown to HTML that is safe to insert into a page."""
    return clean_html(_markdown.render(source))
