"""Positions: actors resolved to parties, stances, negation, conditions, reported vs own words."""

from __future__ import annotations

import pytest

from detente.records import Document


@pytest.fixture(scope="module")
def extractor():
    from detente.extract.pipeline import Extractor

    return Extractor()


def positions_of(extractor, text: str, date: str | None = "2025-05-10"):
    ex = extractor.extract(Document("t", "t.txt", "test", text, None, date, None, "en"))
    for p in ex.positions:  # evidence points into the text
        assert text[p.evidence.start : p.evidence.end] == p.evidence.text
    return ex.positions


def keys(positions) -> set[tuple[str, str, str]]:
    return {(p.actor, p.issue, p.stance) for p in positions}


def test_institution_and_capital_stand_for_their_state(extractor):
    found = keys(
        positions_of(
            extractor,
            "Moscow insisted on recognition of its control over Crimea. "
            "The White House rejected the proposal to lift sanctions on Russia.",
        )
    )
    assert ("Russia", "territory", "demand") in found
    assert ("United States", "sanctions", "reject") in found


def test_leader_speaks_for_the_state(extractor):
    found = keys(
        positions_of(
            extractor,
            "Pakistani Prime Minister Shehbaz Sharif accepted the ceasefire brokered by Washington.",
        )
    )
    assert ("Pakistan", "ceasefire", "accept") in found


def test_negation_turns_acceptance_into_rejection(extractor):
    ps = positions_of(extractor, "Hamas did not accept the Israeli proposal for a temporary truce.")
    assert ("Hamas", "ceasefire", "reject") in keys(ps)
    assert ("Hamas", "ceasefire", "accept") not in keys(ps)


def test_refusal_noun_with_possessor(extractor):
    ps = positions_of(extractor, "Analysts noted Russia's refusal to accept an unconditional ceasefire.")
    assert ("Russia", "ceasefire", "reject") in keys(ps)


def test_conditional_offer_is_flagged(extractor):
    ps = positions_of(
        extractor,
        "Azerbaijani President Ilham Aliyev said Baku was ready to sign the peace treaty "
        "only if Armenia changed its constitution.",
    )
    offers = [
        p for p in ps if p.actor == "Azerbaijan" and p.stance == "offer" and p.issue == "peace_agreement"
    ]
    assert offers and all(p.conditional for p in offers)


def test_hypothetical_is_not_a_position(extractor):
    ps = positions_of(extractor, "Kyiv could reject the plan, and Moscow might accept a partial truce.")
    assert ps == []


def test_own_words_vs_analyst_claims(extractor):
    text = (
        "Indian Foreign Secretary Vikram Misri said: “We will accept a ceasefire on the line of control.”\n\n"
        "Michael Kugelman, a South Asia analyst at the Wilson Center, said Pakistan wanted a ceasefire."
    )
    ps = positions_of(extractor, text)
    own = [p for p in ps if p.actor == "India" and p.issue == "ceasefire" and p.stance == "accept"]
    assert own and own[0].source_kind == "own" and own[0].speaker == "Vikram Misri"
    claimed = [p for p in ps if p.actor == "Pakistan" and p.stance == "demand"]
    assert claimed and claimed[0].confidence < own[0].confidence


def test_sponsor_modifier_makes_an_offer(extractor):
    ps = positions_of(extractor, "Tehran studied the Qatari-brokered ceasefire proposal overnight.")
    assert ("Qatar", "ceasefire", "offer") in keys(ps)


def test_position_carries_the_document_date(extractor):
    ps = positions_of(extractor, "Ukraine agreed to a 30-day ceasefire.", date="2025-03-11")
    assert ps and all(p.date == "2025-03-11" for p in ps)


def test_word_lists_hold_only_words():
    """YAML reads a bare on/off/yes/no as a boolean: every list entry must stay a string."""
    import yaml

    from detente.config import DATA_DIR

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                assert v is not None and not isinstance(v, bool), v
                if isinstance(v, dict | list):
                    yield from walk(v)
                else:
                    yield v

    for path in DATA_DIR.glob("*.yaml"):
        assert list(walk(yaml.safe_load(path.read_text(encoding="utf-8")))), path.name


def test_call_on_is_a_demand(extractor):
    ps = positions_of(
        extractor, "Putin spoke at length. He has long called on Ukraine to give up its goal of joining NATO."
    )
    assert ("Russia", "alliance", "demand") in keys(ps)


def test_a_demand_or_denial_owns_its_complement(extractor):
    found = keys(
        positions_of(
            extractor,
            "Armenia demanded that Azerbaijan accept international monitors along the border. "
            "Azerbaijani officials denied that Baku had agreed to any truce.",
        )
    )
    assert ("Azerbaijan", "ceasefire", "reject") in found
    assert not any(actor == "Azerbaijan" and stance == "accept" for actor, _issue, stance in found)


def test_scene_setting_clause_names_no_issue_and_silence_is_no_rejection(extractor):
    found = keys(
        positions_of(
            extractor,
            "The Pakistani army denied shelling villages after the ceasefire took effect. "
            "India did not confirm the truce.",
        )
    )
    assert ("Pakistan", "ceasefire", "reject") not in found
    assert ("India", "ceasefire", "reject") not in found


def test_every_state_after_of_is_a_party(extractor):
    found = keys(
        positions_of(
            extractor,
            "The foreign ministers of the Republic of Moldova and Romania signed a peace agreement on Friday.",
        )
    )
    assert {("Moldova", "peace_agreement", "accept"), ("Romania", "peace_agreement", "accept")} <= found


def test_hyphenated_issue_words_split_by_the_tokenizer_still_count(extractor):
    found = keys(
        positions_of(
            extractor,
            "Pakistani Prime Minister Shehbaz Sharif signalled Pakistan's willingness to de-escalate "
            "if India halted its strikes.",
        )
    )
    assert ("Pakistan", "ceasefire", "offer") in found


def test_a_clause_joined_by_and_spells_out_the_commitment_but_not_one_joined_by_but(extractor):
    found = keys(
        positions_of(
            extractor,
            '"We will honour that, and we will stop the shelling," Armenian Prime Minister Nikol Pashinyan said. '
            "Azerbaijan agreed to the talks but rejected any truce.",
        )
    )
    assert ("Armenia", "ceasefire", "accept") in found
    assert ("Azerbaijan", "ceasefire", "accept") not in found and (
        "Azerbaijan",
        "ceasefire",
        "reject",
    ) in found


def test_there_will_be_no_truce_in_a_party_s_words_is_a_rejection(extractor):
    found = keys(
        positions_of(
            extractor,
            "Ethiopian Prime Minister Abiy Ahmed said there would be no ceasefire while Eritrean troops stayed. "
            "There is no ceasefire in Tigray yet, aid groups noted.",
        )
    )
    assert ("Ethiopia", "ceasefire", "reject") in found
    assert len([k for k in found if k[1] == "ceasefire"]) == 1  # the narrative fact is no stance


def test_the_group_in_a_group_official_s_words_and_someone_else_s_plan(extractor):
    found = keys(
        positions_of(
            extractor,
            "Senior Hamas official Basem Naim said the group had accepted the mediators' plan for the release "
            "of hostages. Trump said he believed the group was ready for a lasting peace.",
        )
    )
    assert ("Hamas", "prisoners", "accept") in found
    assert ("Hamas", "prisoners", "offer") not in found  # the plan is the mediators'
    assert ("United States", "peace_agreement", "offer") not in found  # "the group" is not Trump's side


def test_ready_to_sign_the_treaty_once_is_a_conditional_offer(extractor):
    found = positions_of(
        extractor,
        "Serbian President Aleksandar Vucic said Serbia was ready to sign the treaty once Kosovo "
        "created the association of Serb-majority municipalities.",
    )
    offers = [p for p in found if (p.actor, p.issue, p.stance) == ("Serbia", "peace_agreement", "offer")]
    assert offers and offers[0].conditional


def test_the_two_sides_are_the_last_pair_named_as_sides_of_a_war_or_deal(extractor):
    text = (
        "Fighting between Armenia and Azerbaijan flared again near the border on Monday. "
        "Late on Tuesday the two sides signed a ceasefire agreement in Moscow."
    )
    found = keys(positions_of(extractor, text))
    assert {("Armenia", "ceasefire", "accept"), ("Azerbaijan", "ceasefire", "accept")} <= found
    # the coordinated subjects of "agree", "sign", "fight" are sides too
    text = (
        "Thailand and Cambodia fought along their border for five days. On Monday, mediators said "
        "the two sides had agreed to stop attacking each other."
    )
    found = keys(positions_of(extractor, text))
    assert {("Thailand", "ceasefire", "accept"), ("Cambodia", "ceasefire", "accept")} <= found
    # a reached agreement "between X and Y" is both parties'
    text = "Mediators announced a truce agreement between India and Pakistan late on Saturday."
    found = keys(positions_of(extractor, text))
    assert {("India", "ceasefire", "accept"), ("Pakistan", "ceasefire", "accept")} <= found


def test_talks_with_a_mediator_do_not_name_the_two_sides(extractor):
    text = (
        "Talks between Qatar and Hamas resumed in Doha on Monday. "
        "The two sides agreed to a ceasefire on Tuesday."
    )
    assert not {p for p in positions_of(extractor, text) if p.actor in ("Qatar", "Hamas")}


def test_tax_returns_are_not_refugee_returns(extractor):
    found = keys(positions_of(extractor, "Donald Trump again refused to make public his income tax returns."))
    assert not any(issue == "humanitarian" for _, issue, _ in found)
    found = keys(positions_of(extractor, "Kyiv rejected the returns of refugees to occupied areas."))
    assert ("Ukraine", "humanitarian", "reject") in found
