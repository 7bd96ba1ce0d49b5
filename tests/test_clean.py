"""Clean: boilerplate rules, headlines, dates from every kind of source, language, content keys, HTML."""

from __future__ import annotations

import pytest

import detente.clean as clean_module
from detente.clean import clean, content_key
from detente.clean.boilerplate import filter_lines
from detente.clean.dates import date_in_line, to_iso
from detente.clean.headline import looks_like_headline, same_title, strip_site
from detente.config import Settings
from detente.records import Document, Problem, RawDocument

P1 = (
    "Armenia and Azerbaijan initialled a peace agreement at the White House on Friday, ending decades of "
    "conflict over Nagorno-Karabakh, officials said."
)
P2 = "Armenian Prime Minister Nikol Pashinyan said the text “opened a new chapter” for the region – and beyond."
BODY = f"{P1}\n{P2}"


def raw(body: str, fmt: str = "text", **kw) -> RawDocument:
    return RawDocument(source="t", name="t.txt", body=body, fmt=fmt, **kw)  # type: ignore[arg-type]


def doc_of(body: str, fmt: str = "text", settings: Settings | None = None, **kw) -> Document:
    result = clean(raw(body, fmt, **kw), settings or Settings())
    assert isinstance(result, Document), result
    return result


# ---- boilerplate -------------------------------------------------------------------------------
def test_page_furniture_of_another_outlet_is_removed():
    page = (
        "World | Europe | Live\n"
        "Armenia and Azerbaijan sign peace pledge in Washington | The Daily Example\n"
        "By Jane Doe | Diplomatic Correspondent\n"
        "Published: 9 August 2025 10:14 BST\n"
        "Share this article\n"
        "Facebook X WhatsApp Email\n"
        f"{BODY}\n"
        "- Advertisement -\n"
        "Read more:\n"
        "Thailand and Cambodia agree to ceasefire talks in Malaysia\n"
        "Sign up for our newsletter\n"
        "© 2025 The Daily Example. All rights reserved.\n"
        "本文僅供一般參考，不構成投資建議。\n"
    )
    doc = doc_of(page)
    assert doc.title == "Armenia and Azerbaijan sign peace pledge in Washington"
    assert doc.date == "2025-08-09" and doc.date_source == "dateline"
    assert doc.text == f"{P1}\n\n{P2}"


def test_kept_text_is_not_rewritten_and_paragraphs_are_blank_line_separated():
    doc = doc_of(f"Peace pledge signed at the White House\n\n{P1}\n\n\n{P2}\n")
    assert doc.text.split("\n\n") == [P1, P2]
    assert "“opened a new chapter”" in doc.text and "– and beyond" in doc.text


def test_repeated_headline_is_kept_once_as_title():
    f = filter_lines(f"Peace pledge signed in Washington\n\nPeace pledge signed in Washington\n\n{BODY}")
    assert f.title == "Peace pledge signed in Washington"
    assert f.paragraphs == [P1, P2]


def test_metadata_title_removes_a_near_copy_of_the_headline_from_the_body():
    doc = doc_of(
        f"Armenia, Azerbaijan sign peace pledge in Washington\n{BODY}",
        title="Armenia and Azerbaijan sign peace pledge in Washington - Example News",
    )
    assert doc.title == "Armenia and Azerbaijan sign peace pledge in Washington"
    assert doc.text.startswith(P1)


def test_first_line_that_is_a_sentence_is_not_a_title():
    doc = doc_of(f"KYIV: {P1}\n{P2}")
    assert doc.title is None and doc.text.startswith("KYIV: Armenia")


def test_site_name_before_the_headline_gives_way():
    doc = doc_of(f"The Example Independent\nRussia and Ukraine agree to swap 1,000 prisoners each\n{BODY}")
    assert doc.title == "Russia and Ukraine agree to swap 1,000 prisoners each"


def test_question_headline_after_a_short_ui_line_with_outlet_and_date_below():
    page = (
        "Prøve GULL - Gratis\n"
        "ISRAEL-HAMAS TRUCE: LASTING PEACE OR A PAUSE?\n"
        "Daily Mirror - Sri Lanka\n"
        "|October 10, 2025\n"
        f"{BODY}"
    )
    doc = doc_of(page)
    assert doc.title == "ISRAEL-HAMAS TRUCE: LASTING PEACE OR A PAUSE?"
    assert (doc.date, doc.text) == ("2025-10-10", f"{P1}\n\n{P2}")


def test_deck_before_the_body_is_kept_and_byline_after_it_dropped():
    page = (
        "Colombia and ELN rebels resume peace talks in Havana\n"
        "Negotiators will discuss a renewed bilateral ceasefire after a year of stalled contacts\n"
        "Lucía Fernández in Bogotá\n"
        f"{BODY}"
    )
    doc = doc_of(page)
    assert doc.text.split("\n\n") == [
        "Negotiators will discuss a renewed bilateral ceasefire after a year of stalled contacts",
        P1,
        P2,
    ]


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, the two sides had agreed to a ceasefire along the whole front line.",
        "Talks resumed on March 18, 2025.",
        "Subscribers to the agency's service were told of the truce on Friday.",
        "Disclosure of the talks' details angered officials in Kyiv, diplomats said.",
        "Like them, Ukrainian officials say the truce is fragile and could collapse at any moment.",
        "Copyright disputes were not on the agenda, the minister said.",
        "Israel and Hamas agreed to extend the truce on Friday, officials said. (Reuters)",
        "Exports fell by a third in the first quarter (see chart 1/2).",
        "Register of displaced people will be reopened in March, the agency said.",
        "This report was presented to the Security Council on Monday by the envoy.",
        "Become a member of NATO is what Kyiv wants, the minister told reporters on Friday.",
        "The ministry gave credit by name to the Qatari mediators.",
    ],
)
def test_sentences_that_start_like_furniture_are_kept(line):
    assert line in doc_of(f"{BODY}\n{line}").text


@pytest.mark.parametrize(
    "line",
    [
        "By Anton Troianovski and Kim Barker New York Times",
        "By Paloma Duran | Journalist and Industry Analyst -",
        "Tags: oman | u.s. | houthi | ceasefire | deal",
        "Dark Mode Light Mode",
        "0 Comments",
        "Post a Comment",
        "Go to video",
        "12:45",
        "5 min read",
        "Story continues below advertisement",
        "Image caption, Freed soldiers near the border",
        "A man walks past a destroyed building in Kharkiv on Friday. REUTERS/Vyacheslav Madiyevskyy",
        "Delegates at the summit in Doha. Photo: AFP",
        "Envoys speak at the Elysee Palace in Paris on Thursday. (Jane Roe/ Pool Photo via AP)",
        "Leaders meet in Putrajaya today. (Example pic)",
        "Reporting by Jane Doe; Editing by John Roe",
        "Associated Press writer Jim Roe in Moscow contributed to this report.",
        "Disclaimer: The views expressed are the author's own.",
        "Home > World > Europe",
        "Follow our coverage at https://example.test/hub/war",
        "———",
    ],
)
def test_furniture_lines_are_dropped(line):
    doc = doc_of(f"{BODY}\n{line}\n{P1.replace('Friday', 'Saturday')}")
    assert line not in doc.text and len(doc.text.split("\n\n")) == 3


def test_related_links_after_an_opener_or_in_a_run_are_dropped():
    page = (
        f"{BODY}\n"
        "01:45\n"
        "Putin warns Russia will extend gains if peace talks fail\n"
        "Why wait for May 8?\n"
        "Trump says Putin call went very well\n"
        "Kremlin says no date set for new talks\n"
        "Hun Manet said the meeting had gone very well.\n"
    )
    doc = doc_of(page)
    assert doc.text.split("\n\n") == [P1, P2, "Hun Manet said the meeting had gone very well."]


def test_a_list_the_text_announces_is_kept():
    items = [
        "Full ceasefire in the Black Sea for thirty days",
        "Exchange of all prisoners on an all-for-all basis",
        "Return of deported children under Qatari mediation",
    ]
    page = f"{BODY}\nThe draft lists three steps:\n" + "\n".join(items) + "\n"
    doc = doc_of(page)
    assert all(item in doc.text for item in items)


def test_line_in_another_script_is_dropped_but_not_the_article_s_own_script():
    page = "Президент России объявил перемирие на время праздников, сообщили в Кремле в субботу вечером."
    doc = doc_of(
        f"{page}\n{page.replace('субботу', 'воскресенье')}\nThis English line is a note.",
        settings=Settings(languages=("ru",)),
    )
    assert doc.language == "ru" and "Президент" in doc.text and "English" not in doc.text


def test_user_boilerplate_file_extends_the_lists(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("ui_lines:\n  - 'brought to you by .{1,40}'\n", encoding="utf-8")
    page = f"{BODY}\nBrought to you by Example Bank"
    assert "Example Bank" in doc_of(page).text
    assert "Example Bank" not in doc_of(page, settings=Settings(boilerplate_files=(extra,))).text


def test_hard_wrapped_text_keeps_sentences_whole():
    import textwrap

    paras = [f"{P1} {P2} {P1}", f"{P2} {P1} {P2}"]
    page = "Peace pledge signed in Washington\n\nBy Jane Doe\n\n" + "\n\n".join(
        textwrap.fill(p, 70) for p in paras
    )
    doc = doc_of(page)
    assert doc.title == "Peace pledge signed in Washington"
    assert doc.text.split("\n\n") == paras


# ---- headlines ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (
            "Ceasefire deal agreed after talks | World Newsnews24 | News 24",
            "Ceasefire deal agreed after talks",
        ),
        ("World | Ceasefire deal agreed after talks | Example", "Ceasefire deal agreed after talks"),
        ("Ceasefire deal agreed after talks - BBC News", "Ceasefire deal agreed after talks"),
        ("Ceasefire deal agreed after talks – thedailystar.net", "Ceasefire deal agreed after talks"),
        ("Ukraine-Russia talks – what we know so far", "Ukraine-Russia talks – what we know so far"),
        (
            "Trump Declares Ceasefire Between Iran-Israel, Tehran Objects",
            "Trump Declares Ceasefire Between Iran-Israel, Tehran Objects",
        ),
    ],
)
def test_site_suffixes_are_cut(title, expected):
    assert strip_site(title) == expected


def test_headline_shape_and_sameness():
    assert looks_like_headline("Is a ceasefire in Gaza finally within reach?")
    assert looks_like_headline("‘No going back’: Armenia and Azerbaijan sign deal")
    assert not looks_like_headline("The talks ended on Friday.")
    assert not looks_like_headline("KYIV, Ukraine (AP) —")
    assert not looks_like_headline("ceasefire talks resume")
    assert same_title(
        "Ukraine And Russia Agree Black Sea Deal | Site", "Ukraine and Russia agree Black Sea deal"
    )
    assert not same_title("Russia and Ukraine agree deal", "Israel and Hamas agree deal")


# ---- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Tue, 06/24/2025 - 12:00", "2025-06-24"),
        ("Wednesday, 07 May 2025 08:06 AM EDT", "2025-05-07"),
        ("By    |   Wednesday, 07 May 2025 08:06 AM EDT", "2025-05-07"),
        ("March 18, 2025", "2025-03-18"),
        ("Published On 24 Jun 2025", "2025-06-24"),
        ("Updated 3:14 PM GMT+4, October 2, 2025", "2025-10-02"),
        ("20.04.2025 - Update : 21.04.2025", "2025-04-20"),
        ("24/06/2025 09:30", "2025-06-24"),
        ("Kyiv, 2025-03-18T10:00:00Z", "2025-03-18"),
        ("Tue 25 Mar 2025 18.42 GMT", "2025-03-25"),
    ],
)
def test_date_lines(line, iso):
    assert date_in_line(line, strict=True) == iso
    assert doc_of(f"{line}\n{BODY}").date == iso


def test_dated_sentences_are_not_date_lines():
    assert date_in_line("Talks resumed on March 18, 2025.", strict=True) is None
    assert date_in_line("Zelenskyy met Trump in Rome on 26 April 2025", strict=True) is None
    doc = doc_of(f"{BODY}\nZelenskyy met Trump in Rome on 26 April 2025.")
    assert "26 April 2025" in doc.text and doc.date is None


def test_stored_page_date_tag_and_published_over_updated():
    doc = doc_of(f" date 2025-04-19 By Anton Troianovski and Kim Barker New York Times\n\n{BODY}")
    assert (doc.date, doc.date_source) == ("2025-04-19", "dateline") and doc.text.startswith(P1)
    doc = doc_of(f"Updated March 19, 2025\nPublished March 18, 2025\n{BODY}")
    assert doc.date == "2025-03-18"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-08-08T18:00:00Z", "2025-08-08"),
        ("Sat, 10 May 2025 18:00:00 GMT", "2025-05-10"),
        ("May 10, 2025", "2025-05-10"),
        ("March 2025", "2025-03"),
        ("2025", "2025"),
        ("yesterday", None),
        ("Saturday", None),
        ("", None),
    ],
)
def test_metadata_dates(value, iso):
    assert to_iso(value) == iso


def test_metadata_date_wins_over_the_dateline():
    doc = doc_of(f"March 18, 2025\n{BODY}", date="May 10, 2025")
    assert (doc.date, doc.date_source) == ("2025-05-10", "metadata")
    doc = doc_of(f"March 18, 2025\n{BODY}", date="not a date")
    assert (doc.date, doc.date_source) == ("2025-03-18", "dateline")


def page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}<article><p>{P1}</p><p>{P2}</p></article></body></html>"


@pytest.mark.parametrize(
    ("html", "iso"),
    [
        (page('<meta property="article:published_time" content="2025-08-08T18:00:00Z">'), "2025-08-08"),
        (page('<meta name="pubdate" content="20250808">'), "2025-08-08"),
        (page('<meta itemprop="datePublished" content="2025-08-07">'), "2025-08-07"),
        (
            page(
                '<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2025-08-06T09:00:00+04:00"}]}</script>'
            ),
            "2025-08-06",
        ),
        (page("", '<time datetime="2025-08-05T10:00">5 Aug</time>'), "2025-08-05"),
    ],
    ids=["article-published", "pubdate", "itemprop", "json-ld", "time"],
)
def test_html_dates_from_meta_tags(html, iso):
    doc = doc_of(html, "html")
    assert (doc.date, doc.date_source) == (iso, "meta-tag")


def test_html_title_from_og_json_ld_h1_or_title():
    og = doc_of(
        page(
            '<meta property="og:title" content="Peace pledge signed in Washington | Example"><title>x</title>'
        ),
        "html",
    )
    ld = doc_of(
        page(
            '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Peace pledge signed in Washington"}</script>'
        ),
        "html",
    )
    h1 = doc_of(page("<title>Home</title>", "<h1>Peace pledge signed in Washington</h1>"), "html")
    tt = doc_of(page("<title>Peace pledge signed in Washington - Example News</title>"), "html")
    assert og.title == ld.title == h1.title == tt.title == "Peace pledge signed in Washington"
    assert "Peace pledge" not in h1.text


# ---- language ----------------------------------------------------------------------------------
def test_other_language_is_skipped_with_a_reason():
    french = (
        "Les négociateurs arméniens et azerbaïdjanais se sont retrouvés vendredi à Washington pour signer "
        "une déclaration commune qui ouvre la voie à un traité de paix, selon plusieurs diplomates présents."
    )
    result = clean(raw(french), Settings())
    assert (
        isinstance(result, Problem)
        and result.reason == "language 'fr' (not in en)"
        and result.stage == "clean"
    )
    assert doc_of(french, settings=Settings(languages=("en", "fr"))).language == "fr"


def test_very_short_texts_are_not_rejected():
    for text in ("Ceasefire holds.", "Mohammed Ali Al-Houthi posted on X.", "Putin, Trump: talks."):
        assert doc_of(text).language == "en"


# ---- content keys ------------------------------------------------------------------------------
def test_same_article_in_text_and_html_has_one_key():
    a = doc_of(f"Peace pledge signed in Washington\n{BODY}")
    b = doc_of(
        page(
            "<title>Peace pledge signed in Washington | Example</title>",
            "<h1>Peace pledge signed in Washington</h1>",
        ),
        "html",
    )
    c = doc_of(f"Peace pledge signed in Washington\n\n\n{P1}\n\n{P2}   \n")
    assert a.doc_id == b.doc_id == c.doc_id == content_key(f"{P1}\n\n{P2}")
    assert a.doc_id != doc_of(P1).doc_id
    assert len(a.doc_id) == 16 and int(a.doc_id, 16) >= 0


def test_content_key_ignores_case_spacing_and_punctuation():
    assert content_key("Hello,   World!") == content_key("hello world") == content_key("HELLO\n\nWORLD.")
    assert content_key("don’t stop") == content_key("don't stop")
    assert content_key("Hello world") != content_key("Hello word")


# ---- hostile and broken HTML -------------------------------------------------------------------
HOSTILE = f"""<html><head><title>Talks | Site</title><style>body {{ color: red }}</style>
<script>var secret = "stolen-cookie";</script></head>
<body onload="steal()"><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Armenia and Azerbaijan initial a peace deal</h1><p>{P1}</p>
<script>document.write('injected-text')</script><img src=x onerror="alert('xss-img')">
<svg><script>alert('svg-script')</script></svg><noscript>enable-js-please</noscript>
<iframe src="javascript:alert('frame')">frame-text</iframe><!-- hidden-comment -->
<p><a href="javascript:alert('link')">Pashinyan</a> said the vote would follow.</p></article>
<div class="comments">Comment by troll: nonsense</div><footer>Contact us</footer></body></html>"""


@pytest.mark.parametrize("fmt", ["html", "fragment"])
def test_hostile_html_leaks_nothing(fmt):
    html = HOSTILE if fmt == "html" else HOSTILE.split("<body", 1)[1].split(">", 1)[1]
    doc = doc_of(html, "html")
    for bad in (
        "stolen",
        "injected",
        "xss",
        "svg-script",
        "enable-js",
        "frame",
        "hidden-comment",
        "javascript",
        "alert",
        "onerror",
        "color: red",
    ):
        assert bad not in doc.text, bad
    assert P1 in doc.text and "Pashinyan said the vote would follow." in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>unclosed <b>bold <i>text " + P1,
        "<div>" * 5000 + P1 + "</div>" * 10,
        "<<<>>>",
        "<html><body><table><tr><td>" + P1 + "</table></td></tr>",
        "<html><body><script>only a script, never closed " + P1,
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>' + P1 + "</p></body></html>",
        "<p>" + P1[:60],
        "",
    ],
    ids=[
        "unclosed",
        "deeply-nested",
        "junk",
        "misnested",
        "unclosed-script",
        "xml-declaration",
        "truncated",
        "empty",
    ],
)
def test_broken_html_gives_a_document_or_a_problem(html):
    result = clean(raw(html, "html"), Settings())
    assert isinstance(result, Document | Problem)
    if isinstance(result, Document):
        assert "<" not in result.text and "only a script" not in result.text


def test_clean_never_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(clean_module, "filter_lines", broken)
    result = clean(raw(BODY), Settings())
    assert isinstance(result, Problem) and result.stage == "clean" and "boom" in result.reason


def test_nothing_left_is_a_problem():
    result = clean(raw("Share\nDark Mode Light Mode\n0 Comments"), Settings())
    assert isinstance(result, Problem) and "nothing left" in result.reason
