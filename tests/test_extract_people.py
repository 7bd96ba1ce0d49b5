"""People: names, roles and organisations in the forms news writing uses, and linked mentions."""

from __future__ import annotations

import pytest

from detente.records import Document


@pytest.fixture(scope="module")
def extractor():
    from detente.extract.pipeline import Extractor

    return Extractor()


def doc(text: str) -> Document:
    return Document("t", "t.txt", "test", text, None, "2025-05-10", None, "en")


def people_of(extractor, text: str) -> dict:
    return {p.name: p for p in extractor.extract(doc(text)).people}


def test_title_before_name_gives_role_and_org(extractor):
    found = people_of(
        extractor,
        "Pakistani Prime Minister Shehbaz Sharif spoke on Saturday. "
        "India's Foreign Secretary Vikram Misri briefed reporters in New Delhi.",
    )
    assert found["Shehbaz Sharif"].role == "Prime Minister"
    assert found["Shehbaz Sharif"].org == "Pakistan"
    assert found["Vikram Misri"].role == "Foreign Secretary"
    assert found["Vikram Misri"].org == "India"


def test_apposition_splits_role_and_institution(extractor):
    found = people_of(
        extractor,
        "Laurence Broers, an associate fellow at Chatham House, said the text was a breakthrough.",
    )
    p = found["Laurence Broers"]
    assert p.role == "associate fellow"
    assert p.org == "Chatham House"


def test_possessive_title(extractor):
    found = people_of(extractor, "Netanyahu's strategic affairs minister Ron Dermer flew to Cairo on Monday.")
    assert found["Ron Dermer"].role is not None
    assert "minister" in found["Ron Dermer"].role.lower()
    assert "Netanyahu" not in found["Ron Dermer"].role


def test_copula_role(extractor):
    found = people_of(
        extractor,
        "The talks stalled again.\nMaria Lopez is Director of Research at the Geneva Peace Institute.",
    )
    assert found["Maria Lopez"].role == "Director of Research"
    assert found["Maria Lopez"].org == "Geneva Peace Institute"


def test_later_mentions_link_to_the_full_name(extractor):
    text = (
        "Armenian Prime Minister Nikol Pashinyan arrived in Washington. "
        "Mr Pashinyan met President Ilham Aliyev of Azerbaijan. Later, Pashinyan spoke again."
    )
    found = people_of(extractor, text)
    assert set(found) == {"Nikol Pashinyan", "Ilham Aliyev"}
    mentions = found["Nikol Pashinyan"].mentions
    assert len(mentions) == 3
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert found["Ilham Aliyev"].org == "Azerbaijan"


def test_gazetteer_corrects_famous_names_and_gives_party(extractor):
    found = people_of(extractor, "Trump spoke to Putin for two hours, and Kyiv was told afterwards.")
    assert {"Donald Trump", "Vladimir Putin"} <= set(found)
    assert "Kyiv" not in found
    assert found["Vladimir Putin"].party == "Russia"


def test_places_and_groups_are_not_people(extractor):
    found = people_of(
        extractor, "Ships crossed the Bab al-Mandab Strait while Hamas negotiators waited in Doha."
    )
    assert not any("Strait" in n or n in ("Hamas", "Doha") for n in found)


def test_workplace_in_a_relative_clause_and_group_names_as_written(extractor):
    people = people_of(
        extractor,
        "Lena Okafor, a Nigerian security analyst who works at the Clingendael Institute, said the truce was fragile. "
        "Ansar Allah leader Abdul-Malik al-Houthi said the group would keep its promise.",
    )
    assert people["Lena Okafor"].org == "Clingendael Institute"
    houthi = next(p for name, p in people.items() if "Houthi" in name)
    assert houthi.org == "Ansar Allah" and houthi.party == "Houthis"


def test_a_role_that_serves_another_named_person(extractor):
    people = people_of(
        extractor,
        "Massad Boulos, a senior adviser to US President Donald Trump, told reporters in Cairo that talks would go on. "
        "Sergei Kislyak, a former Russian ambassador to the United States, said little.",
    )
    assert people["Massad Boulos"].role == "senior adviser" and people["Massad Boulos"].org == "United States"
    assert people["Donald Trump"].role == "President"
    assert "ambassador to the United States" in (people["Sergei Kislyak"].role or "")


def test_member_of_a_body_before_the_role_gives_the_org(extractor):
    people = people_of(
        extractor,
        "A member of the Armenian negotiating team, deputy foreign minister Mher Grigoryan, said the "
        "border talks would resume. Earlier on Monday, senator Anna Petrosyan criticised the plan.",
    )
    assert people["Mher Grigoryan"].org == "Armenian negotiating team"
    assert people["Mher Grigoryan"].role == "deputy foreign minister"
    assert not people["Anna Petrosyan"].org
    people = people_of(
        extractor,
        "After meeting the leader of Hamas, Foreign Minister Badr Abdelatty said the talks went well. "
        "A member of his team, senator John Carver, agreed.",
    )
    assert people["Badr Abdelatty"].org != "Hamas" and not people["John Carver"].org
