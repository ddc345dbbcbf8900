"""A seeded generator of synthetic Rødovre archives, written as protocol files the real importer loads.

Realism where it matters for search:
- Structure and length: every case copies the section headings, order and (±30 %) lengths of a randomly chosen
  real fixture case; meetings open with "Meddelelser" and close with "Diverse" as the real ones do.
- Everyday vocabulary: section text is built from the real fixtures' sentences (protocols and attachment
  documents), so words like "Rødovre", "kommune", "borgere" occur in a large share of cases.
- The long tail: each case is about one topic from a pool of ≥ 5 000 compound terms (fixture word stems joined
  Danish-style, plus place and project names); topics are drawn Zipf-like (s = 0.5) so even the most frequent
  topic stays well under 1 % of cases, and each case mentions two other topics and a place in passing.

Usage: python bench/generate.py OUT_DIR --cases 10000 [--seed 1]. Writes OUT_DIR/*.txt and OUT_DIR/manifest.json.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import math
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT))

from importer.parse import parse_protocol  # noqa: E402 - pure Python, no Django needed
from search import danish  # noqa: E402

REAL_COMMITTEES = [
    ("Kommunalbestyrelsen", "KB"),
    ("Økonomiudvalget", "ØU"),
    ("Beskæftigelsesudvalget", "BEU"),
    ("Teknik- og Miljøudvalget", "TMU"),
    ("Børne- og Skoleudvalget", "BSU"),
    ("Social- og Sundhedsudvalget", "SSU"),
    ("Kultur- og Fritidsudvalget", "KFU"),
]


def _words(text: str) -> list[str]:
    return text.split()


EXTRA_COMMITTEE_THEMES = _words(
    """Klima Erhverv Ældre Integration Digitalisering Bolig Trafik Idræt Natur Byudvikling Forebyggelse
    Tilgængelighed Handicap Unge Demokrati Innovation Beredskab Indkøb Ejendomme Forsyning Kvalitet Sundhedsfremme
    Frivillighed Turisme Kollektiv Trafik Miljø"""
)

# Topic compounds: modifier + head, both taken from (or shaped like) the fixtures' vocabulary.
MODIFIERS = _words(
    """beskæftigelses social sundheds bolig skole trafik klima natur miljø kultur fritids idræts ældre børne unge
    handicap integrations uddannelses erhvervs vej cykel park grøn affalds vand spildevands energi varme belysnings
    byggeri anlægs renoverings digitaliserings it data indkøbs udbuds ejendoms lokal plan by boligsocial misbrugs
    psykiatri rehabiliterings pleje hjemmepleje plejehjems dagtilbuds vuggestue børnehave fritidshjems ungdomsskole
    bibliotek musik teater kunst forenings frivilligheds kommunikations borger bruger medarbejder personale leder
    arbejdsmiljø sygefravær rekrutterings praktik lærlinge elev fleksjob ressourceforløbs kontanthjælps dagpenge
    sygedagpenge integrationsydelses revaliderings jobcenter virksomheds iværksætter turisme event kirkegårds
    beredskabs brandsikrings tryghed kriminalpræventiv forebyggelses sundhedsfremme rygestop kost motions træning
    tandpleje sundhedspleje familie anbringelses plejefamilie forældre skolevej legeplads svømmehal stadion
    idrætshal sportsplads kunstgræs boldbane løbesti naturpleje skov sø å regnvands klimatilpasnings skybruds
    ladestander elbil bus letbane station parkerings stiforbindelse fortov vejbump"""
)
HEADS = _words(
    """plan planen politik strategi pulje projekt aftale redegørelse evaluering tilskud ordning indsats program
    analyse undersøgelse budget regnskab bevilling handleplan vision partnerskab samarbejde netværk forsøg model
    koncept rammeaftale kontrakt licitation udbud takst takstblad kvalitetsstandard serviceniveau retningslinje
    vejledning regulativ vedtægt styrelsesvedtægt tilsyn rapport status opfølgning implementering organisering
    omlægning udvidelse renovering ombygning nybyggeri forundersøgelse helhedsplan masterplan lokalplan
    kommuneplantillæg dispensation godkendelse høring borgermøde"""
)
PLACES = _words(
    """Islev Valhøj Tinderhøj Kærene Milestedet Rødovre Tårnvej Rødovrevej Jyllingevej Roskildevej Slotsherrens
    Korsdalsvej Espelunden Broparken Bybækgrunden Hendriksholm Ejbybro Damhus Damhusåen Vestvolden Kagsåparken
    Islevbro Rødovregård Viftehuset Præstebro Nørregård Egegård Valhøjs Gunnekær Vestbad Rødovreholm
    Magnoliahaven Lyshøj Grønnemose Kalveboderne Avedøre Herlev Brøndby Hvidovre Glostrup Albertslund Ballerup
    Gladsaxe Valby Vanløse Husum Brønshøj Bellahøj Hovedstaden Vestegnen"""
)
PROJECTS = [
    "Sammen om Rødovre",
    "Sammen med Borgeren",
    "Flere Skal Med",
    "Fra Ledig til Faglært",
    "Grøn Omstilling 2030",
    "Trygge Boligområder",
    "Aktiv Hele Livet",
    "Rødovrestrategien",
    "Bedre Velfærd",
    "Byens Rum",
    "Den Gode Skoledag",
    "Fællesskab for Alle",
    "Sund By",
    "Ren By",
    "Lys i Mørket",
    "Unge i Job",
    "Vej til Uddannelse",
    "Klimaklar Kommune",
]

DECISIONS = [
    ("Anbefales.", 30),
    ("Godkendt.", 25),
    ("Taget til efterretning.", 25),
    ("Indstilles godkendt (Til Kommunalbestyrelsen).", 6),
    ("Udsat.", 4),
    ("Afvist.", 2),
    ("Godkendt. For stemte: A, F og Ø. Imod stemte: V og C.", 4),
    ("Anbefales med 5 stemmer for (A og Ø) og 2 imod (V og C).", 4),
]
PROPOSERS = [
    "Social- og Sundhedsforvaltningen",
    "Teknisk Forvaltning",
    "Børne- og Kulturforvaltningen",
    "Økonomi- og Personaleforvaltningen",
    "Borgmesterens Forvaltning",
]
TITLE_PATTERNS = [
    "{T} {y}",
    "Status på {t}",
    "Godkendelse af {t}",
    "Evaluering af {t}",
    "Forslag til {t}",
    "Udmøntning af {t} {y}",
    "Tillægsbevilling vedrørende {t}",
    "Høring om {t}",
    "Orientering om {t}",
    "{T} - opfølgning",
]
FIRST_NAMES = _words(
    """Anne Birgitte Britt Camilla Dorthe Erik Flemming Hanne Henrik Jan Jens Karin Kim Lars Lene Marianne
    Mette Michel Mikkel Morten Niels Ole Peter Pia Rasmus Rikke Steen Susanne Søren Thomas Tina Ulla"""
)
LAST_NAMES = _words(
    """Andersen Berg Christensen Dahl Eriksen Frederiksen Glifberg Hansen Holm Jakobsen Jensen Kongebro Larsen
    Lunde Madsen Mikkelsen Molin Møller Nielsen Olsen Pedersen Petersen Rasmussen Skriver Sørensen Thomsen Torm
    Østergaard"""
)
PARTIES = ["A", "A", "A", "V", "C", "F", "Ø", "O", "B"]
STRUCTURAL = re.compile(
    r"^(Bilag|Sag nr|Sager|Beslutning|Indstilling|Sagens kerne|Sagsfremstilling|Medlemmer|Fraværende|Afbud|"
    r"Protokollen|Mødet|Lov- og|Økonomiske|Tidsplan|Beslutningskompetence|Fold alle)",
    re.IGNORECASE,
)


@dataclass
class Corpus:
    sentences: list[str]
    shapes: list[list[tuple[str, int]]]  # per real case: (heading, length of text) in order


def load_corpus() -> Corpus:
    """Sentences and case shapes from the real fixtures."""
    sentences: set[str] = set()
    shapes = []
    for path in sorted((FIXTURES / "protocols").glob("*.txt")):
        protocol = parse_protocol(path.read_bytes())
        for case in protocol.cases:
            shapes.append([(s.heading, len(s.text)) for s in case.sections])
            for section in case.sections:
                if section.heading not in {"Indstilling", "Beslutning", "Bilag"}:
                    sentences.update(_sentences(section.text))
    for path in sorted((FIXTURES / "attachments").iterdir()):
        sentences.update(_sentences(path.read_text("utf-8", errors="replace")))
    return Corpus(sorted(sentences), shapes)


def _sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip(" #*-•\t")
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            sentence = " ".join(sentence.split())
            if 25 <= len(sentence) <= 400 and not STRUCTURAL.match(sentence) and "(" not in sentence[:40]:
                out.append(sentence)
    return out


def topic_pool(rng: random.Random, size: int = 8000) -> list[str]:
    """Distinct topic terms (distinct Danish stems): compounds, place and project names, shuffled."""
    compounds = [m + h for m, h in itertools.product(MODIFIERS, HEADS)]
    rng.shuffle(compounds)
    seen: set[str] = set()
    pool = []
    for term in compounds:
        key = danish.stem(term)
        if key not in seen:
            seen.add(key)
            pool.append(term)
        if len(pool) >= size:
            break
    return pool


class Zipf:
    """Draw indexes 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float, rng: random.Random):
        self.rng = rng
        weights = [1 / (k + 1) ** s for k in range(n)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self) -> int:
        return bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])


class Writer:
    def __init__(self, corpus: Corpus, topics: list[str], rng: random.Random):
        self.corpus, self.topics, self.rng = corpus, topics, rng
        self.zipf = Zipf(len(topics), 0.5, rng)

    def filler(self, length: int, mentions: list[str]) -> str:
        """Paragraphs of real sentences up to about `length` characters, with `mentions` woven in."""
        rng, sentences, out, size = self.rng, self.corpus.sentences, [], 0
        mentions = list(mentions)
        while size < length:
            if mentions and rng.random() < 0.35:
                sentence = rng.choice(MENTION_TEMPLATES).format(m=mentions.pop(0))
            else:
                sentence = rng.choice(sentences)
            out.append(sentence)
            size += len(sentence) + 1
        out += [rng.choice(MENTION_TEMPLATES).format(m=m) for m in mentions]
        paragraphs, i = [], 0
        while i < len(out):
            n = rng.randint(2, 5)
            paragraphs.append(" ".join(out[i : i + n]))
            i += n
        return "\n".join(paragraphs)

    def case(self, number: int, year: int, authority: str) -> tuple[str, list[str]]:
        rng = self.rng
        topic = self.topics[self.zipf.draw()]
        others = [self.topics[self.zipf.draw()] for _ in range(2)]
        place = rng.choice(PLACES)
        project = rng.choice(PROJECTS)
        title = rng.choice(TITLE_PATTERNS).format(t=topic, T=topic.capitalize(), y=year)
        proposer = rng.choice(PROPOSERS)
        shape = rng.choice(self.corpus.shapes)
        lines = [title, f"Sag nr. {number}", f"Beslutningskompetence: {authority}"]
        for heading, length in shape:
            length = int(length * rng.uniform(0.7, 1.3))
            if heading == "Indstilling":
                body = f"{proposer} indstiller,\nat {topic} for {year} godkendes."
                if rng.random() < 0.5:
                    body += f"\nat udgiften til {topic} finansieres inden for rammen."
            elif heading == "Beslutning":
                body = rng.choices([d for d, _ in DECISIONS], [w for _, w in DECISIONS])[0]
            elif heading == "Bilag":
                body = f"Bilag 1: {topic.capitalize()} - notat {year}"
            elif heading == "Sagens kerne":
                body = f"{proposer} fremlægger {topic} i Rødovre Kommune. " + self.filler(max(length - 80, 0), [])
            elif heading == "Økonomiske konsekvenser":
                # Everyday budget words, in about half the cases as in real minutes.
                body = rng.choice(ECONOMY).format(t=topic, y=year)
            elif heading == "Sagsfremstilling":
                body = self.filler(length, [topic, others[0], place, topic, project, others[1]])
            else:
                body = self.filler(length, [])
            lines += [heading, body] if body else [heading]
        return "\n".join(lines), [topic, *others]


ECONOMY = [
    "Ingen.",
    "Ingen.",
    "Udgiften til {t} afholdes inden for det vedtagne budget for {y}.",
    "Sagen har ingen konsekvenser for budgettet.",
    "Merudgiften indarbejdes i budget {y}.",
    "Der er afsat midler i budgettet for {y}.",
    "Ingen ud over det allerede afsatte.",
]

MENTION_TEMPLATES = [
    "Sagen skal ses i sammenhæng med {m}.",
    "Der henvises desuden til {m}.",
    "Forvaltningen har inddraget erfaringerne fra {m}.",
    "{m} indgår i vurderingen.",
    "Udvalget orienteres løbende om {m}.",
]


def _people(rng: random.Random, n: int) -> list[tuple[str, str]]:
    names = set()
    while len(names) < n:
        names.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
    return [(name, rng.choice(PARTIES)) for name in sorted(names)]


def committees_for(cases: int) -> list[tuple[str, str]]:
    extra = max(0, round(cases / 5000) - len(REAL_COMMITTEES))
    themes = [f"Udvalget for {t}" for t in EXTRA_COMMITTEE_THEMES]
    names = [themes[i % len(themes)] + ("" if i < len(themes) else f" {i}") for i in range(extra)]
    return REAL_COMMITTEES + [(name, "") for name in names]


def generate(out: Path, cases: int, seed: int = 1, years: int = 20, last_year: int = 2024) -> dict:
    """Write protocol files with `cases` cases in total to `out`; return (and write) the manifest."""
    rng = random.Random(seed)
    corpus = load_corpus()
    topics = topic_pool(rng)
    writer = Writer(corpus, topics, rng)
    committees = committees_for(cases)
    per_meeting = 9  # Meddelelser + 7 cases + Diverse, like the fixtures
    # int(gauss(9, 2)) averages about 8.5 cases a meeting; plan ~10 % spare meetings and stop at `cases`.
    meetings_per_year = max(1, math.ceil(1.1 * cases / (len(committees) * years * (per_meeting - 0.5))))
    out.mkdir(parents=True, exist_ok=True)
    files, written, topic_count = [], 0, {}
    first_year = last_year - years + 1
    members_of: dict[str, list[tuple[str, str]]] = {}
    for year in range(first_year, last_year + 1):
        for name, code in committees:
            if (year - first_year) % 4 == 0:  # a new election period, a new committee
                members_of[name] = _people(rng, 7)
            members = members_of[name]
            number = 1
            days = sorted(rng.sample(range(1, 360), meetings_per_year))
            for day in days:
                if written >= cases:
                    break
                date = dt.date(year, 1, 1) + dt.timedelta(days=day)
                n_cases = min(max(3, int(rng.gauss(per_meeting, 2))), cases - written)
                text, topics_here = _protocol(writer, rng, name, code, date, members, number, n_cases)
                for t in topics_here:
                    topic_count[t] = topic_count.get(t, 0) + 1
                path = out / f"{danish_slug(name)}-{date.isoformat()}.txt"
                path.write_text(text, encoding="utf-8")
                files.append(path.name)
                number += n_cases
                written += n_cases
    manifest = {
        "seed": seed,
        "cases": written,
        "files": files,
        "committees": [name for name, _ in committees],
        "topics": topics,
        "topic_terms": len(topics),
        "topic_stems": len({danish.stem(t) for t in topics}),
        "places": PLACES,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _protocol(writer, rng, committee, code, date, members, first, n_cases) -> tuple[str, list[str]]:
    lines = [committee, date.strftime("%d-%m-%Y"), "Medlemmer"]
    chair = rng.randrange(len(members))
    lines += [("Formand " if i == chair else "") + f"{n} ({p})" for i, (n, p) in enumerate(members)]
    last = first + n_cases - 1
    if rng.random() < 0.3:
        name, party = rng.choice(members)
        lo = rng.randint(first, last)
        lines += ["Fraværende", f"{name} ({party}), sag {lo}-{min(last, lo + rng.randint(0, 2))}"]
    lines.append(f"Sager {first} - {last}")
    topics: list[str] = []
    authority_default = code or "KB"
    for number in range(first, last + 1):
        if number == first:
            lines += ["Meddelelser", f"Sag nr. {number}", f"Beslutningskompetence: {authority_default}"]
            lines += ["Sagens kerne", "Oversigt fremlægges til orientering.", "Beslutning", "Taget til efterretning."]
        elif number == last and n_cases > 2:
            lines += ["Diverse", f"Sag nr. {number}", f"Beslutningskompetence: {authority_default}"]
            lines += ["Sagens kerne", "Beslutning", "Taget til efterretning."]
        else:
            authority = rng.choice(["KB", authority_default, authority_default])
            text, case_topics = writer.case(number, date.year, authority)
            lines.append(text)
            topics += case_topics
    minutes = rng.choice(["00", "15", "30", "45"])
    lines.append(f"Protokollen oplæst. Mødet afsluttet kl. {rng.randint(15, 19)}.{minutes}")
    if rng.random() < 0.5:  # the 2019/2020 export style: a blank line between all lines
        return "\n\n".join("\n".join(lines).split("\n")) + "\n", topics
    return "\n".join(lines) + "\n", topics


def danish_slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    return re.sub(r"[^a-z0-9]+", "-", name.lower().translate(table)).strip("-")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.cases, args.seed)
    print(
        f"{manifest['cases']} cases in {len(manifest['files'])} protocols, "
        f"{manifest['topic_terms']} topic terms ({manifest['topic_stems']} distinct stems) -> {args.out}"
    )


if __name__ == "__main__":
    main()
