"""One very large protocol: a meeting with thousands of cases, shaped like the fixtures (pure Python, no Django).

Issue 15 measured a 5.9 MB protocol with 10 000 cases that could not be published from the web. `big_protocol`
writes such a file deterministically (about 600 bytes per case, every section the parser knows), so the publishing
benchmark (`bench/publish.py`) and the bounded-parse tests use the same shape.

Usage: python bench/big_protocol.py OUT.txt [--cases 10000]
"""

from __future__ import annotations

import argparse
from pathlib import Path

HEADER = """Beskæftigelsesudvalget
15-11-2022
Medlemmer
Formand Peter Mikkelsen (Ø)
Birgitte Glifberg (A)
Flemming Lunde Østergaard (A)
Mikkel Molin (V)
Fraværende
Mikkel Molin (V), sag 2-4
Sager 1 - {last}
"""

CASE = """{title}
Sag nr. {number}
Beslutningskompetence: {authority}
Sagens kerne
Social- og Sundhedsforvaltningen fremlægger sag {number} om {topic} til {verb}.
Indstilling
Social- og Sundhedsforvaltningen indstiller,
at orienteringen om {topic} tages til efterretning, og
at forvaltningen følger op på indsatsen i {year}.
Beslutning
{decision}
Sagsfremstilling
Jobcentret har i {year} arbejdet med {topic}. Erfaringen er, at borgerne oplever sig mødt og hørt, og at
indsatsen bidrager til, at flere kommer i job eller uddannelse (jf. sag nr. {previous}).
Økonomiske konsekvenser
Sagen har ingen økonomiske konsekvenser.
Bilag
Bilag 1: Notat om {topic} {year}
"""

TOPICS = (
    "beskæftigelsesindsatsen",
    "brugerundersøgelsen i Jobcentret",
    "ungeindsatsen",
    "integrationsgrunduddannelsen",
    "sygedagpengeområdet",
    "virksomhedssamarbejdet",
    "ressourceforløb",
    "fleksjobordningen",
)
DECISIONS = ("Taget til efterretning.", "Godkendt.", "Anbefales.", "Udsat.")


def big_protocol(cases: int = 10_000) -> bytes:
    """A valid protocol of one meeting with `cases` cases (numbered 1..cases), as UTF-8 bytes."""
    parts = [HEADER.format(last=cases)]
    for number in range(1, cases + 1):
        topic = TOPICS[number % len(TOPICS)]
        parts.append(
            CASE.format(
                title=f"Orientering om {topic} ({number})",
                number=number,
                authority="KB" if number % 3 == 0 else "BEU",
                topic=topic,
                verb="godkendelse" if number % 2 else "orientering",
                year=2000 + number % 25,
                decision=DECISIONS[number % len(DECISIONS)],
                previous=max(1, number - 1),
            )
        )
    parts.append("Protokollen oplæst. Mødet afsluttet kl. 15.45\n")
    return "".join(parts).encode("utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args(argv)
    data = big_protocol(args.cases)
    args.out.write_bytes(data)
    print(f"{args.out}: {args.cases} cases, {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
