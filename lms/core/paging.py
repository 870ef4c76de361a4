"""Pages of a long list: which rows a page number shows, and which page numbers to link."""

import math
from dataclasses import dataclass, field

PAGES_AROUND_CURRENT = 2


@dataclass(frozen=True)
class Page:
    number: int           # 1-based, always within 1..pages
    per_page: int
    total: int            # rows over all pages
    items: list = field(default_factory=list)

    @classmethod
    def clamped(cls, number, total, per_page):
        """Page `number` of `total` rows, moved to the first or last page when out of range."""
        return cls(min(max(number or 1, 1), _page_count(total, per_page)), per_page, total)

    @property
    def pages(self):
        return _page_count(self.total, self.per_page)

    @property
    def start(self):
        return (self.number - 1) * self.per_page

    @property
    def stop(self):
        return min(self.start + self.per_page, self.total)

    @property
    def first_index(self):
        return self.start + 1 if self.total else 0

    @property
    def last_index(self):
        return self.stop

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def window(self):
        return page_window(self.number, self.pages)


def _page_count(total, per_page):
    return max(1, math.ceil(total / per_page))


def page_window(current, pages, around=PAGES_AROUND_CURRENT):
    """Page numbers to link: the first, the last and `around` either side of `current`, with None
    where numbers are left out (a gap of one page shows that page instead)."""
    shown = sorted({1, pages} | set(range(max(1, current - around), min(pages, current + around) + 1)))
    window = []
    for number in shown:
        if window and number - window[-1] == 2:
            window.append(number - 1)
        elif window and number - window[-1] > 2:
            window.append(None)
        window.append(number)
    return window
