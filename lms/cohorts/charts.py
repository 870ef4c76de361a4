"""Server-rendered SVG bar charts, pure: numbers in, SVG markup out. No script, no remote asset.

Every chart is an image with a <title> and a <desc> (which spells out every value), so a screen
reader gets the numbers; each bar carries its series name and value as text, so nothing relies on
colour. Pages show the same numbers in a table beside the chart. All text is escaped here.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
MARGIN = 12
LABEL_HEIGHT = 17
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
SERIES_LABEL_WIDTH = 96
VALUE_LABEL_WIDTH = 72
MAX_LABEL_CHARS = 86
#: fills for the series in order; every bar also has a dark outline, so the lightest still
#: stands out from the white page (WCAG 1.4.11)
FILLS = ("#9fb8c8", "#0b4f71", "#d9a35f", "#4a5560")
OUTLINE = "#1b1f24"
INK = "#1b1f24"


@dataclass(frozen=True)
class Series:
    name: str
    #: one value per category; None draws no bar and says "no data"
    values: tuple


def _number(value, unit):
    if value is None:
        return "no data"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return f"{text}{unit}"


def _short(text):
    return text if len(text) <= MAX_LABEL_CHARS else text[:MAX_LABEL_CHARS - 1] + "\u2026"


def _describe(description, categories, series, unit):
    parts = []
    for index, category in enumerate(categories):
        values = ", ".join(f"{s.name} {_number(s.values[index], unit)}" if len(series) > 1
                           else _number(s.values[index], unit) for s in series)
        parts.append(f"{category}: {values}")
    return f"{description} {'; '.join(parts)}." if parts else f"{description} No data yet."


def horizontal_bar_chart(chart_id, title, description, categories, series, max_value=None, unit=""):
    """An SVG chart with one group of horizontal bars per category, one bar per series.

    `chart_id` must be unique on the page (it prefixes the title and desc ids). `max_value` sets
    the scale (100 for percentages); by default the largest value, at least 1.
    """
    categories = [str(c) for c in categories]
    series = [Series(str(s.name), tuple(s.values)) for s in series]
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    values = [v for s in series for v in s.values if v is not None]
    scale = max_value if max_value is not None else max([1, *values])
    named = len(series) > 1
    bar_left = MARGIN + (SERIES_LABEL_WIDTH if named else 0)
    bar_span = WIDTH - bar_left - VALUE_LABEL_WIDTH - MARGIN
    group_height = LABEL_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = MARGIN + len(categories) * group_height + LABEL_HEIGHT + MARGIN
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(_describe(description, categories, series, unit))}</desc>',
    ]
    y = MARGIN
    for index, category in enumerate(categories):
        parts.append(f'<text x="{MARGIN}" y="{y + 12}" fill="{INK}" font-weight="600">'
                     f'{escape(_short(category))}</text>')
        y += LABEL_HEIGHT
        for number, s in enumerate(series):
            value = s.values[index]
            if named:
                parts.append(f'<text x="{MARGIN}" y="{y + 11}" fill="{INK}">{escape(s.name)}</text>')
            length = 0.0 if value is None else max(0.0, min(1.0, value / scale)) * bar_span
            if value is not None:
                parts.append(f'<rect x="{bar_left}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                             f'fill="{FILLS[number % len(FILLS)]}" stroke="{OUTLINE}" stroke-width="1"/>')
            parts.append(f'<text x="{bar_left + length + 6:.1f}" y="{y + 11}" fill="{INK}">'
                         f'{escape(_number(value, unit))}</text>')
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    axis_top = MARGIN
    parts.append(f'<line x1="{bar_left}" y1="{axis_top}" x2="{bar_left}" y2="{y}" stroke="{OUTLINE}"/>')
    parts.append(f'<text x="{bar_left}" y="{y + 14}" fill="{INK}">0{escape(unit)}</text>')
    parts.append(f'<text x="{bar_left + bar_span}" y="{y + 14}" fill="{INK}" text-anchor="end">'
                 f'{escape(_number(scale, unit))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text went through escape()
