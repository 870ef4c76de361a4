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
    for forbidden in ("<script", "alert('x')", "<img", "onerror", "<iframe", 'href="javascript:', "style="):
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


def test_script_and_style_elements_go_with_their_content():
    html = render_markdown("Before.\n\n<script>alert('x')</script>\n\n<style>p { color: red; }</style>\n\n"
                           "Inline <script>steal(document.cookie)</script>text <style>.x { display: none }</style>"
                           "stays.")
    for leftover in ("alert('x')", "color: red", "steal(", "display: none", "<script", "<style"):
        assert leftover not in html, leftover
    assert "<p>Before.</p>" in html and "Inline text stays." in html


def test_a_script_hidden_in_a_stripped_tag_still_goes_with_its_content():
    assert clean_html("<iframe><script>alert(1)</script></iframe>after") == "after"
    assert clean_html("<svg><style>svg { fill: red }</style></svg>after") == "after"


def test_escaped_markup_in_text_is_kept_as_text():
    assert clean_html("<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>") == \
        "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>"
