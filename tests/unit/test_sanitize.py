from lms.core.sanitize import clean_html, render_markdown

HOSTILE_LESSON = """
Intro paragraph.

<script>alert('x')</script>

<img src="x" onerror="alert(1)">

<iframe src="https://evil.example/"></iframe>

[click me](javascript:alert(1))

<a href="javascript:alert(2)">raw link</a>

<p style="color:red">styled</p>

<a href="https://smart.ojp.gov/">SMART Office</a>
"""


def test_hostile_markup_is_removed():
    html = render_markdown(HOSTILE_LESSON)
    lowered = html.lower()
    for forbidden in ("<script", "<img", "onerror", "<iframe", 'href="javascript:', "style="):
        assert forbidden not in lowered, forbidden
    assert "Intro paragraph." in html
    assert '<a rel="noopener noreferrer">raw link</a>' in html  # text stays, the javascript: href is gone


def test_links_are_kept_with_safe_rel():
    html = render_markdown("[SMART](https://smart.ojp.gov/) and <a href='https://csom.org'>CSOM</a>")
    assert html.count('rel="noopener noreferrer"') == 2
    assert 'href="https://smart.ojp.gov/"' in html


def test_markdown_structures_survive():
    html = render_markdown("## Heading\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n- item\n\n> quote\n\n**bold**")
    for tag in ("<h2>", "<table>", "<td>1</td>", "<li>item</li>", "<blockquote>", "<strong>bold</strong>"):
        assert tag in html


def test_clean_html_strips_event_handlers_on_allowed_tags():
    assert clean_html('<a href="/x" onclick="steal()">x</a>') == '<a href="/x" rel="noopener noreferrer">x</a>'
