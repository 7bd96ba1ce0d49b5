"""HTML pages: the main text (trafilatura) and the page's own metadata (title, date, address).

Metadata is read from the markup itself, in a fixed order, so that ``date_source="meta-tag"``
always means a date the page declares: article:published_time and similar <meta> tags, JSON-LD
``datePublished``, then a <time datetime>. Text comes from trafilatura, one paragraph per line;
when it finds nothing (a bare fragment, a page of one paragraph) a plain walk over the block
elements takes over. Neither ever returns the content of <script>, <style> or attributes.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from typing import Any

import lxml.html
from lxml import etree

from detente.clean.dates import to_iso

log = logging.getLogger(__name__)

DATE_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article.published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "date",
    "article:published",
)
TITLE_META = ("og:title", "twitter:title", "dc.title", "headline")
URL_META = ("og:url",)
NOT_TEXT = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "canvas",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "head",
    "nav",
    "footer",
    "aside",
)
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "td",
    "th",
    "figcaption",
}
HIDDEN_TAGS = "script|style|noscript|template|iframe|object|embed|svg|math|textarea|select|head|title"
COMMENT = re.compile(r"<!--.*?(-->|$)", re.S)
HIDDEN = re.compile(rf"<({HIDDEN_TAGS})\b[^>]*>.*?</\1\s*>", re.I | re.S)
UNCLOSED = re.compile(rf"<({HIDDEN_TAGS})\b.*", re.I | re.S)
BLOCK_TAG = re.compile(
    r"</?(p|div|br|h[1-6]|li|tr|td|th|blockquote|pre|section|article|table|ul|ol|hr)\b[^>]*>", re.I
)
ANY_TAG = re.compile(r"</?[a-zA-Z!?][^>]*>")
BLOCKS |= {"div", "section", "article", "main", "header", "body", "br", "tr", "ul", "ol", "table", "hr"}


@dataclass(slots=True)
class HtmlArticle:
    text: str  # one paragraph per line
    title: str | None
    date: str | None  # ISO, from the page's meta tags
    url: str | None


def parse(html: str) -> lxml.html.HtmlElement | None:
    """A tree for any string that holds markup; None when there is nothing to parse."""
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)  # lxml refuses str input with an encoding declaration
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError) as e:
        log.info("HTML not parsed: %s", e)
        return None


@lru_cache(maxsize=1)
def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(recover=True, remove_comments=True, remove_pis=True, no_network=True)


def extract(html: str, url: str | None = None) -> HtmlArticle | None:
    """The article of an HTML page or fragment, or None when it holds no text."""
    tree = parse(html)
    if tree is None:
        return None
    title, date, page_url = page_metadata(tree)
    text = _trafilatura(html, url) or block_text(tree) or stripped_text(html)
    if not text.strip():
        return None
    return HtmlArticle(text=text, title=title, date=date, url=url or page_url)


def has_markup(text: str) -> bool:
    """Plain text that still holds HTML block tags ("<p>...</p>.<p>..."): a page saved half-converted."""
    return len(BLOCK_TAG.findall(text[:20_000])) >= 2


def stripped_text(html: str) -> str:
    """Last resort for markup the parser gives up on (thousands of nested tags): drop whole
    script/style-like elements (an unclosed one takes the rest of the page), comments and tags."""
    s = COMMENT.sub(" ", html)
    s = HIDDEN.sub(" ", s)
    s = UNCLOSED.sub(" ", s)
    s = BLOCK_TAG.sub("\n", s)
    s = ANY_TAG.sub(" ", s)
    s = unescape(s).replace("<", " ").replace(">", " ")
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", ln).strip() for ln in s.split("\n"))
    return "\n".join(ln for ln in lines if ln)


@lru_cache(maxsize=1)
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # Short articles and fragments are articles too: without this, trafilatura falls back to
    # a whole-page dump that runs every paragraph into one line.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "10")
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def _trafilatura(html: str, url: str | None) -> str | None:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            config=_trafilatura_config(),
        )
    except Exception as e:  # trafilatura on hostile markup must not end the batch
        log.info("trafilatura failed (%s); using the block walk", type(e).__name__)
        return None
    text = getattr(result, "text", None) if result is not None else None
    return text if text and text.strip() else None


def block_text(tree: lxml.html.HtmlElement) -> str:
    """Text of the block elements, one per line, without scripts, styles, forms or navigation."""
    tree = _copy(tree)
    etree.strip_elements(tree, *NOT_TEXT, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    root = _main(tree)
    pieces: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in BLOCKS:
                pieces.append("\n")
            if el.text:
                pieces.append(el.text)
        else:
            if tag in BLOCKS:
                pieces.append("\n")
            if el is not root and el.tail:
                pieces.append(el.tail)
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", ln).strip() for ln in "".join(pieces).split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _copy(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(lxml.html.tostring(tree), parser=_parser())


def _main(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for xpath in ("//article", "//main", "//*[@role='main']", "//body"):
        found = tree.xpath(xpath)
        if found:
            return max(found, key=lambda el: len(el.text_content()))
    return tree


def page_metadata(tree: lxml.html.HtmlElement) -> tuple[str | None, str | None, str | None]:
    """(title, ISO date, canonical address) declared by the page."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        value = (meta.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    ld = _json_ld(tree)
    title = next((metas[k] for k in TITLE_META if metas.get(k)), None) or _str(ld.get("headline"))
    if not title:
        h1 = [_text(h) for h in tree.iter("h1")]
        h1 = [h for h in h1 if h]
        title = h1[0] if len(h1) == 1 else None
    if not title:
        t = tree.find(".//title")
        title = _text(t) if t is not None else None
    date = None
    for candidate in [metas.get(k) for k in DATE_META] + [_str(ld.get("datePublished"))] + _time_dates(tree):
        date = to_iso(candidate)
        if date:
            break
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    url = metas.get("og:url") or (str(canonical[0]).strip() if canonical else None) or _str(ld.get("url"))
    return (title or None), date, (url or None)


def _time_dates(tree: lxml.html.HtmlElement) -> list[str]:
    """<time datetime> values, the ones marked as the publication date first."""
    marked = tree.xpath(
        "//time[@itemprop='datePublished' or @pubdate or contains(@class,'publish')]/@datetime"
    )
    in_article = tree.xpath("//article//time/@datetime")
    anywhere = tree.xpath("//time/@datetime")
    return [str(v) for v in (*marked, *in_article, *anywhere[:1])]


def _json_ld(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object that is an article (or has a headline or datePublished)."""
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for obj in _walk_ld(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and ("Article" in k or k == "WebPage") for k in kinds) or (
                "headline" in obj or "datePublished" in obj
            ):
                return obj
    return {}


def _walk_ld(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [o for item in data for o in _walk_ld(item, depth + 1)]
    if isinstance(data, dict):
        return [data, *_walk_ld(data.get("@graph", []), depth + 1)]
    return []


def _text(el: Any) -> str | None:
    text = re.sub(r"\s+", " ", el.text_content()).strip() if el is not None else ""
    return text or None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
