"""Generated news articles for load, memory and crash tests: many, short, distinct, reproducible.

Each article is a few sentences about ceasefire talks between two parties, built from templates
with seeded random choices: a dateline, named officials with their roles, a direct quote, an
offer or a rejection, a meeting. They exercise every extractor (people, quotes, positions,
agreements, events) at a known size, so that runs can be compared. Article ``i`` always has the
same text for the same seed, and no two articles share a text (each counts its own violations).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

PARTIES = [
    ("Armenia", "Armenian", "Yerevan"),
    ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Ukraine", "Ukrainian", "Kyiv"),
    ("Russia", "Russian", "Moscow"),
    ("Sudan", "Sudanese", "Khartoum"),
    ("Ethiopia", "Ethiopian", "Addis Ababa"),
    ("Colombia", "Colombian", "Bogota"),
    ("India", "Indian", "New Delhi"),
    ("Pakistan", "Pakistani", "Islamabad"),
]
FIRST = [
    "Anna",
    "David",
    "Leyla",
    "Omar",
    "Sofia",
    "Pavel",
    "Amina",
    "Carlos",
    "Ravi",
    "Elif",
    "Tomas",
    "Mariam",
]
LAST = ["Petrosyan", "Aliyev", "Kovalenko", "Hassan", "Mendez", "Sharma", "Novak", "Karimi", "Osei", "Berg"]
ROLES = ["foreign minister", "chief negotiator", "defence minister", "presidential envoy"]
VENUES = ["Geneva", "Doha", "Istanbul", "Vienna", "Oslo", "Nairobi", "Riyadh"]
MEDIATORS = ["the United Nations", "Qatar", "Turkey", "Norway", "the African Union", "Switzerland"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
TERMS = ["a prisoner exchange", "a 30-day ceasefire", "a humanitarian corridor", "the withdrawal of troops"]


def article(i: int, seed: int = 7, brief: bool = False) -> dict[str, str]:
    """Article ``i`` as a JSONL batch item: id, title, date and text (about 120 words; ``brief``:
    about 60, without the other party's reply)."""
    rng = random.Random(seed * 1_000_003 + i)
    (a, a_adj, _), (b, b_adj, _) = rng.sample(PARTIES, 2)
    venue, mediator, term = rng.choice(VENUES), rng.choice(MEDIATORS), rng.choice(TERMS)
    m = rng.randrange(len(MONTHS))
    day = rng.randint(1, 28)
    speaker = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    while other == speaker:
        other = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    role_a, role_b = rng.sample(ROLES, 2)
    stance = rng.choice(["accept", "reject"])
    if stance == "accept":
        offer = f"{a} is ready to accept {term} if {b} stops its attacks"
    else:
        offer = f"{a} rejects {term} as long as {b} keeps its troops on our land"
    weekday = rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    reply = (
        f"{b_adj} {role_b} {other} said the proposal was a step forward but called for guarantees. "
        f"“Without monitors on the ground, no truce will hold,” {other.split()[-1]} said.\n\n"
    )
    text = (
        f"{venue.upper()}, {MONTHS[m]} {day} - Delegations from {a} and {b} met in {venue} on "
        f"{weekday} for talks hosted by {mediator}.\n\n"
        f"{a_adj} {role_a} {speaker} said {offer}. "
        f"“We came here to stop the killing, not to sign a surrender,” {speaker.split()[-1]} told reporters.\n\n"
        + ("" if brief else reply)
        + f"Observers counted {i + 3} violations of the previous truce. The two sides agreed to meet "
        f"again in {rng.choice(VENUES)} next month."
    )
    return {
        "id": f"generated-{i:06d}",
        "title": f"{a} and {b} hold talks in {venue}",
        "date": f"2025-{m + 1:02d}-{day:02d}",
        "text": text,
    }


def articles(n: int, seed: int = 7, start: int = 0, brief: bool = False) -> Iterator[dict[str, str]]:
    for i in range(start, start + n):
        yield article(i, seed, brief)


def write_corpus(
    folder: Path, n: int, per_file: int = 1000, seed: int = 7, brief: bool = False
) -> list[Path]:
    """Write ``n`` articles as JSONL batch files of ``per_file`` lines; the files' paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for start in range(0, n, per_file):
        path = folder / f"batch-{start // per_file:04d}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for item in articles(min(per_file, n - start), seed, start, brief):
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths
