"""A document's text as HTML with its extractions marked, every piece of the text escaped.

Highlights may overlap (a mention inside a quote inside a position's evidence), so the text is
cut at every highlight boundary and each piece gets the classes of all highlights covering it.
Mentions and speakers link to their person's page; each highlight's first piece carries an
anchor (``#q12``, ``#p3``) that the lists beside the text link to.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from markupsafe import Markup, escape

from detente.store.rows import Highlight

ANCHORED = {"quote", "position", "agreement", "event"}  # the kinds the side lists link to


def render_highlighted(text: str, highlights: Sequence[Highlight]) -> Markup:
    cuts = {0, len(text)}
    for h in highlights:
        cuts.update((h.start, h.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    started: set[str] = set()
    out: list[str] = []
    for a, b in pairwise(bounds):
        piece = escape(text[a:b])
        covering = [h for h in highlights if h.start <= a and b <= h.end]
        if not covering:
            out.append(str(piece))
            continue
        anchors = ""
        for h in covering:
            if h.kind in ANCHORED and h.ref not in started and h.start == a:
                started.add(h.ref)
                anchors += f'<a class="anchor" id="{escape(h.ref)}"></a>'
        kinds = sorted({h.kind for h in covering})
        title = "; ".join(dict.fromkeys(h.label for h in covering))
        person = next((h.person_id for h in covering if h.person_id is not None), None)
        inner = f'<a href="/people/{int(person)}">{piece}</a>' if person is not None else str(piece)
        classes = " ".join(f"hl-{k}" for k in kinds)
        out.append(f'{anchors}<span class="hl {classes}" title="{escape(title)}">{inner}</span>')
    return Markup("".join(out))


def snippet_html(snippet: str, open_mark: str = "[[", close_mark: str = "]]") -> Markup:
    """A search snippet with its match markers as <mark>, everything else escaped."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(open_mark, "<mark>").replace(close_mark, "</mark>"))
