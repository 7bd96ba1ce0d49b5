"""Clean: boilerplate of several kinds of page, headlines, dates, language, content keys."""

from __future__ import annotations

from detente.clean import clean, content_key
from detente.clean.boilerplate import filter_lines
from detente.config import Settings
from detente.ingest import iter_raw
from detente.records import Document, Problem, RawDocument

BODY = (
    "Armenia and Azerbaijan initialled a peace agreement at the White House on Friday, ending decades of "
    "conflict over Nagorno-Karabakh, officials said.\n"
    "Armenian Prime Minister Nikol Pashinyan said the text opened a new chapter for the region."
)


def raw(body: str, fmt: str = "text", **kw) -> RawDocument:
    return RawDocument(source="t", name="t.txt", body=body, fmt=fmt, **kw)  # type: ignore[arg-type]


def test_boilerplate_of_another_outlet_is_removed():
    page = (
        "World | Europe | Live\n"
        "Armenia and Azerbaijan sign peace pledge in Washington | The Daily Example\n"
        "By Jane Doe | Diplomatic Correspondent\n"
        "Published: 9 August 2025 10:14 BST\n"
        "Share this article\n"
        f"{BODY}\n"
        "Advertisement\n"
        "Read more:\n"
        "Thailand and Cambodia agree to ceasefire talks in Malaysia\n"
        "Sign up for our newsletter\n"
        "© 2025 The Daily Example. All rights reserved.\n"
        "本文僅供一般參考，不構成投資建議。\n"
    )
    doc = clean(raw(page), Settings())
    assert isinstance(doc, Document)
    assert doc.title == "Armenia and Azerbaijan sign peace pledge in Washington"
    assert doc.date == "2025-08-09" and doc.date_source == "dateline"
    for junk in (
        "Share this",
        "Advertisement",
        "newsletter",
        "Thailand and Cambodia",
        "reserved",
        "Jane Doe",
        "本文",
    ):
        assert junk not in doc.text
    assert doc.text.startswith("Armenia and Azerbaijan initialled")
    assert "Nikol Pashinyan said" in doc.text


def test_repeated_headline_is_kept_once_as_title():
    page = f"Peace pledge signed\n\nPeace pledge signed\n\n{BODY}"
    f = filter_lines(page)
    assert f.title == "Peace pledge signed"
    assert all("Peace pledge signed" not in p for p in f.paragraphs)


def test_html_with_hostile_markup():
    html = f"""<html><head><title>Talks | Site</title>
    <meta property="article:published_time" content="2025-08-08T18:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Talks</h1><p>{BODY}</p>
    <script>document.write('stolen')</script><img src=x onerror="alert(1)">
    <p><a href="javascript:alert(2)">Pashinyan</a> said the vote would follow.</p></article>
    <div class="comments">Comment by troll: nonsense</div><footer>Contact us</footer></body></html>"""
    doc = clean(raw(html, "html"), Settings())
    assert isinstance(doc, Document)
    assert doc.date == "2025-08-08" and doc.date_source == "meta-tag"
    for bad in ("stolen", "alert", "javascript", "onerror", "troll", "Contact us", "Home"):
        assert bad not in doc.text
    assert "initialled a peace agreement" in doc.text


def test_broken_and_nested_html_does_not_raise():
    for html in ("<html><body><p>unclosed <b>bold <i>text", "<div>" * 5000 + BODY + "</div>" * 10, "<<<>>>"):
        result = clean(raw(html, "html"), Settings())
        assert isinstance(result, Document | Problem)


def test_other_language_is_skipped_with_a_reason():
    french = (
        "Les négociateurs arméniens et azerbaïdjanais se sont retrouvés vendredi à Washington pour signer "
        "une déclaration commune qui ouvre la voie à un traité de paix, selon plusieurs diplomates présents."
    )
    result = clean(raw(french), Settings())
    assert isinstance(result, Problem) and "language 'fr'" in result.reason


def test_same_article_in_text_and_html_has_one_key():
    a = clean(raw(BODY), Settings())
    b = clean(
        raw(
            "<html><body><article>"
            + "".join(f"<p>{p}</p>" for p in BODY.split("\n"))
            + "</article></body></html>",
            "html",
        ),
        Settings(),
    )
    assert isinstance(a, Document) and isinstance(b, Document)
    assert a.doc_id == b.doc_id == content_key(BODY.replace("\n", "\n\n"))
    assert content_key("Hello,   World!") == content_key("hello world")


def test_metadata_date_wins(tmp_path):
    doc = clean(raw(BODY, date="May 10, 2025"), Settings())
    assert doc.date == "2025-05-10" and doc.date_source == "metadata"


def test_dev_benchmark_clean_score_is_perfect(shared_dir, eval_score):
    """Every kept sentence present, every boilerplate string gone, every title right."""
    system = {}
    for item in iter_raw([str(shared_dir / "corpus" / "dev")], Settings()):
        doc = clean(item, Settings())
        assert isinstance(doc, Document), doc
        system[doc.name] = {"doc": doc.name, "title": doc.title, "text": doc.text}
    gold = eval_score.load(str(shared_dir / "eval" / "dev" / "gold.jsonl"))
    assert eval_score.score(gold, system)["clean"] == 1.0
