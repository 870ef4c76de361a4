"""What the browser tests check on a page: keyboard focus, WCAG 2.1 AA with axe-core, the page's
structure (one h1, a working skip link, labelled controls, described errors), weight and layout."""

from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAX_PAGE_BYTES = 100 * 1024
PHONE_WIDTH = 375  # a common phone
NARROW_WIDTHS = (PHONE_WIDTH, 320)  # 320 CSS px: WCAG 2.1 SC 1.4.10 Reflow
NARROW_HEIGHT = 740
MAX_TABS = 60

# axe-core comes from the pinned axe-playwright-python package, never from the network.
_axe = Axe()

_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const labels = el.labels ? Array.from(el.labels, (label) => label.innerText.trim()) : [];
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), name: el.getAttribute('name'),
    value: el.value === undefined ? null : String(el.value), text: text, label: labels.join(' '),
    href: el.getAttribute('href'), id: el.id, checked: el.checked === true,
    outline_style: style.outlineStyle, outline_width: parseFloat(style.outlineWidth) || 0,
    box_shadow: style.boxShadow, in_main: el.closest('main') !== null,
    in_view: rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.right > 0
      && rect.top < window.innerHeight && rect.left < window.innerWidth,
  };
}"""


@dataclass(frozen=True)
class Focus:
    """What has keyboard focus, and how it is drawn."""

    tag: str
    type: str | None
    name: str | None
    value: str | None
    text: str
    label: str
    href: str | None
    id: str
    checked: bool
    outline_style: str
    outline_width: float
    box_shadow: str
    in_main: bool
    in_view: bool

    @property
    def visibly_focused(self):
        outlined = self.outline_style != "none" and self.outline_width > 0
        shadowed = self.box_shadow not in ("", "none")
        return (outlined or shadowed) and self.in_view

    def __str__(self):
        what = self.text or self.label or self.name or self.href or ""
        kind = f"{self.tag}[type={self.type}]" if self.type else self.tag
        return f"<{kind} {what!r}>"


def focused(page):
    """The focused element as a Focus, or None when nothing (or the body) has focus."""
    found = page.evaluate(_DESCRIBE_FOCUS)
    return Focus(**found) if found else None


def assert_focus_visible(page, after=""):
    focus = focused(page)
    assert focus is not None, f"Nothing has focus{' after ' + after if after else ''} on {page.url}"
    assert focus.visibly_focused, (
        f"Focus on {focus} is not visible on {page.url}: outline {focus.outline_style} {focus.outline_width}px, "
        f"box-shadow {focus.box_shadow!r}, in view: {focus.in_view}")
    return focus


def press(page, key):
    """Press a key and require that whatever then has focus shows it."""
    page.keyboard.press(key)
    return assert_focus_visible(page, after=key)


def tab_to(page, predicate, max_presses=MAX_TABS, backwards=False):
    """Press Tab (Shift+Tab when `backwards`) until the focused element satisfies `predicate`
    (a function of a Focus), checking at every stop that focus is visible. Returns the Focus;
    fails after `max_presses` presses, listing where focus went."""
    key = "Shift+Tab" if backwards else "Tab"
    current = focused(page)
    if current is not None and predicate(current):
        return assert_focus_visible(page)
    visited = []
    for _ in range(max_presses):
        current = press(page, key)
        visited.append(str(current))
        if predicate(current):
            return current
    raise AssertionError(f"{key} pressed {max_presses} times on {page.url} without reaching the element; "
                         "focus went to: " + ", ".join(visited))


def is_link(text):
    return lambda focus: focus.tag == "a" and text in focus.text


def is_button(text):
    return lambda focus: (focus.tag == "button" or focus.type == "submit") and text in focus.text


def is_field(label):
    return lambda focus: focus.tag in ("input", "select", "textarea") and focus.label == label


def is_option(name):
    return lambda focus: focus.tag == "input" and focus.name == name


# Page checks --------------------------------------------------------------------------------------

class PageRecorder:
    """The responses of the page's current document: everything since the last main-frame
    navigation request (so a redirect chain counts only its final page), for weighing; and what
    the browser blocked under the Content-Security-Policy."""

    def __init__(self, page):
        self.page = page
        self.responses = []
        self.blocked = []
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("console", self._on_console)

    def _on_request(self, request):
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.responses.clear()
            self.blocked.clear()

    def _on_response(self, response):
        self.responses.append(response)

    def _on_console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.blocked.append(message.text)

    def transferred(self):
        """[(url, bytes of the body)] of every response of the current document."""
        sizes = []
        for response in list(self.responses):
            if 300 <= response.status < 400:
                continue
            sizes.append((response.url, _body_size(response)))
        return sizes


def _body_size(response):
    # Chromium fetches the favicon outside the page's resource tree, so its body cannot be read
    # back; its Content-Length still counts toward the page's weight.
    try:
        return len(response.body())
    except Exception:  # noqa: BLE001 - Playwright raises its generic Error here
        return int(response.headers.get("content-length", 0))


def record_responses(page):
    """Start recording the page's responses with the browser cache off, so every stylesheet, script
    and font is fetched, and so counted, on every page."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return PageRecorder(page)


def axe_violations(page):
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    return results.response["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())[:200]
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}  {summary}")
    return "\n".join(lines)


_UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter((el) => el.type !== 'hidden' && !['submit', 'button', 'reset', 'image'].includes(el.type))
  .filter((el) => el.checkVisibility())
  .filter((el) => !(el.labels && Array.from(el.labels).some((l) => l.innerText.trim()))
    && !(el.getAttribute('aria-label') || '').trim() && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML)"""

_DESCRIPTION_PROBLEMS = """() => {
  const described = new Map();
  for (const el of document.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      described.set(id, el);
    }
  }
  const problems = [];
  for (const [id, el] of described) {
    if (!document.getElementById(id)) problems.push(`aria-describedby="${id}" names no element: ${el.outerHTML}`);
  }
  for (const error of document.querySelectorAll('.error')) {
    if (!error.id || !described.has(error.id)) {
      problems.push(`error message not referenced by any aria-describedby: ${error.outerHTML}`);
    }
  }
  for (const hint of document.querySelectorAll('.hint, [id$="-hint"]')) {
    if (hint.checkVisibility() && (!hint.id || !described.has(hint.id))) {
      problems.push(`hint not referenced by any aria-describedby: ${hint.outerHTML}`);
    }
  }
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    if (!ids.some((id) => document.getElementById(id)?.classList.contains('error'))) {
      problems.push(`invalid control not described by its error message: ${el.outerHTML}`);
    }
  }
  return problems;
}"""

_HORIZONTAL_OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const wide = Array.from(document.body.querySelectorAll('*'))
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .filter((el) => !el.closest('.table-scroll') || el.classList.contains('table-scroll'))
    .slice(0, 5).map((el) => el.outerHTML.slice(0, 120));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide};
}"""


def check_skip_link(page):
    """The first Tab stop is a visibly focused skip link, and following it puts focus on <main>."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.keyboard.press("Tab")
    focus = focused(page)
    if focus is None or focus.tag != "a" or not (focus.href or "").startswith("#") or "skip" not in focus.text.lower():
        return [f"the first Tab stop is {focus}, not a skip link"]
    problems = [] if focus.visibly_focused else [f"the focused skip link is not visible: {focus!r}"]
    page.keyboard.press("Enter")
    landed = page.evaluate("() => document.activeElement && document.activeElement.tagName.toLowerCase()")
    if landed != "main":
        problems.append(f"the skip link moved focus to <{landed}>, not <main>")
    return problems


def audit_page(page, recorder, label=None):
    """Every check of issue 8 on the page as it is now; fails listing every problem found."""
    label = label or page.url
    problems = []
    viewport = page.viewport_size

    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{headings} h1 elements; a page needs exactly one")
    problems += check_skip_link(page)
    problems += [f"form control without a label: {html}" for html in page.evaluate(_UNLABELLED_CONTROLS)]
    problems += page.evaluate(_DESCRIPTION_PROBLEMS)

    violations = axe_violations(page)
    if violations:
        problems.append(f"axe-core (WCAG 2.1 A/AA) at {viewport['width']}px:\n" + describe_violations(violations))

    problems += [f"blocked by the Content-Security-Policy: {text}" for text in recorder.blocked]
    sizes = recorder.transferred()
    total = sum(size for _, size in sizes)
    if total > MAX_PAGE_BYTES:
        listing = ", ".join(f"{url} {size} B" for url, size in sizes)
        problems.append(f"page weighs {total} bytes, over {MAX_PAGE_BYTES}: {listing}")

    try:
        for width in NARROW_WIDTHS:
            page.set_viewport_size({"width": width, "height": NARROW_HEIGHT})
            overflow = page.evaluate(_HORIZONTAL_OVERFLOW)
            if overflow:
                problems.append(f"horizontal scroll at {width}px: {overflow}")
        narrow = axe_violations(page)  # at the narrowest width, where tables start to scroll
        if narrow:
            problems.append(f"axe-core (WCAG 2.1 A/AA) at {NARROW_WIDTHS[-1]}px:\n" + describe_violations(narrow))
    finally:
        page.set_viewport_size(viewport)

    assert not problems, f"{label} ({page.url}):\n- " + "\n- ".join(problems)
    return {"bytes": total, "resources": len(sizes)}
