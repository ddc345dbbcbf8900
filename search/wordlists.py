"""Build the word lists the decompounder (search/decompound.py) reads, from hunspell-da and wordfreq. Build time
only: run `python manage.py build_search_wordlists` after a new hunspell-da or wordfreq, and commit the result.

Two files in search/data/, each derived from one source and kept under that source's licence:

- `da_compounds.txt.gz` — from Debian's hunspell-da (Stavekontrolden, GPL-2.0/LGPL-2.1/MPL-1.1; used under
  MPL-1.1). Stavekontrolden's affix file says, per word, how it may take part in a compound: flag 29 adds the
  linking letter -s- ("beskæftigelse" → "beskæftigelses-"), 30 adds -e- ("børn" → "børne-"), 31 joins with
  nothing ("klima-"), and every form carrying flag 34 may end a compound ("planerne"). We expand the affix rules
  and keep: each form that may begin or continue a compound, with the words it comes from ("B arbejds arbejde");
  and the Snowball stem of each form that may end one, with the stems of the words it is a form of where they
  differ ("E centr cent": "centret" is a form of "center"; Snowball stems them apart). No Danish is invented here: the
  linking letters and which words take them are the dictionary's.
- `da_frequencies.txt.gz` — from wordfreq's Danish list (CC BY-SA 4.0): the Zipf frequency (log10 per billion
  words; 3.0 is the list's floor) of its 29 000 most common words. It tells a real compound ("folke|skolen":
  both parts far more common than the whole) from a word that only happens to be spelt like two others
  ("kul|tur", "pro|cent"), as in Koehn & Knight's corpus-based compound splitting.

Plain Python, no Django.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from search import danish

DATA = Path(__file__).resolve().parent / "data"
COMPOUNDS_FILE = DATA / "da_compounds.txt.gz"
FREQUENCIES_FILE = DATA / "da_frequencies.txt.gz"
HUNSPELL_DIC = Path("/usr/share/hunspell/da_DK.dic")
HUNSPELL_AFF = Path("/usr/share/hunspell/da_DK.aff")

# Stavekontrolden's compound flags (da_DK.aff, "Sammensætning"): COMPOUNDBEGIN, COMPOUNDMIDDLE, COMPOUNDEND.
BEGIN, MIDDLE, END = "32", "33", "34"
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class AffixRule:
    strip: str
    add: str
    flags: frozenset[str]
    condition: re.Pattern


@dataclass
class Lexicon:
    """What may begin (or continue) a compound, with the words it comes from; and the stems of what may end one."""

    joining: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ending: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # stem → its words' stems


def read_suffix_rules(aff_lines: Iterable[str]) -> dict[str, list[AffixRule]]:
    """The SFX rules of a hunspell affix file with numeric flags, by flag."""
    lines = list(aff_lines)
    rules: dict[str, list[AffixRule]] = defaultdict(list)
    i = 0
    while i < len(lines):
        parts = lines[i].split()
        if len(parts) >= 4 and parts[0] == "SFX" and parts[2] in ("Y", "N"):
            flag, count = parts[1], int(parts[3])
            for line in lines[i + 1 : i + 1 + count]:
                p = line.split()
                add, _, continuation = p[3].partition("/")
                rules[flag].append(
                    AffixRule(
                        strip="" if p[2] == "0" else p[2],
                        add="" if add == "0" else add,
                        flags=frozenset(continuation.split(",")) if continuation else frozenset(),
                        condition=re.compile((p[4] if len(p) > 4 else ".") + "$"),
                    )
                )
            i += count + 1
        else:
            i += 1
    return rules


def expand(
    word: str, flags: frozenset[str], rules: dict[str, list[AffixRule]], depth: int = 2
) -> Iterator[tuple[str, frozenset]]:
    """The word and every form its suffix flags make, each with the flags it carries. A suffix may carry suffix
    flags of its own ("klub" → "klubb" → "klubber"): hunspell strips two suffixes, so we add up to two."""
    yield word, flags
    if depth == 0:
        return
    for flag in flags:
        for rule in rules.get(flag, ()):
            if rule.condition.search(word) and word.endswith(rule.strip):
                yield from expand(word[: len(word) - len(rule.strip)] + rule.add, rule.flags, rules, depth - 1)


def read_lexicon(dic_lines: Iterable[str], aff_lines: Iterable[str]) -> Lexicon:
    """The compound lexicon of a hunspell dictionary: lowercased, letters only (no hyphens, digits, dots)."""
    rules = read_suffix_rules(aff_lines)
    lexicon = Lexicon()
    for line in list(dic_lines)[1:]:  # the first line is the entry count
        entry = line.split("\t")[0].split(" ")[0]
        word, _, flag_text = entry.partition("/")
        word = word.lower()
        if not _LETTERS.fullmatch(word):
            continue
        flags = frozenset(flag_text.split(",")) if flag_text else frozenset()
        for form, form_flags in expand(word, flags, rules):
            if not _LETTERS.fullmatch(form):
                continue
            if BEGIN in form_flags or MIDDLE in form_flags:
                lexicon.joining[form].add(word)
            if END in form_flags:
                lexicon.ending[danish.stem(form)].add(danish.stem(word))
    return lexicon


def word_frequencies(frequencies: dict[str, float]) -> dict[str, float]:
    """Zipf frequency (log10 per billion words) of each lowercased word of letters, from word → frequency."""
    import math

    return {
        word: round(math.log10(frequency) + 9, 2)
        for word, frequency in frequencies.items()
        if frequency > 0 and _LETTERS.fullmatch(word) and word == word.lower()
    }


def _digest(*paths: Path) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def _write(path: Path, header: list[str], lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join([*(f"# {h}" for h in header), *lines]) + "\n"
    # mtime=0: the same input gives the same bytes, so a rebuild that changes nothing changes no file.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(body.encode("utf-8"))


def compounds_lines(dic: Path = HUNSPELL_DIC, aff: Path = HUNSPELL_AFF) -> tuple[list[str], list[str]]:
    """Header and lines of da_compounds.txt.gz from the given hunspell files."""
    lexicon = read_lexicon(
        dic.read_text("utf-8").splitlines(),
        aff.read_text("utf-8").splitlines(),
    )
    header = [
        "Compound lexicon for search/decompound.py, built by search/wordlists.py from hunspell-da",
        "(Stavekontrolden, (c) Foreningen for frit tilgængelige sprogværktøjer; GPL-2.0/LGPL-2.1/MPL-1.1,",
        "this derived file is distributed under MPL-1.1).",
        f"source sha256: {_digest(dic, aff)}",
        "B <form that begins or continues a compound, linking letter included> <the words it comes from>",
        "E <Snowball stem of a form that may end a compound> <the stems of the words it is a form of, if others>",
    ]
    lines = [f"B {form} {','.join(sorted(words))}" for form, words in sorted(lexicon.joining.items())]
    lines += [f"E {stem} {','.join(sorted(bases - {stem}))}".rstrip() for stem, bases in sorted(lexicon.ending.items())]
    return header, lines


def frequency_lines() -> tuple[list[str], list[str]]:
    """Header and lines of da_frequencies.txt.gz from the installed wordfreq package."""
    from importlib.metadata import version

    import wordfreq

    words = word_frequencies(wordfreq.get_frequency_dict("da", wordlist="best"))
    header = [
        "Zipf frequency of Danish words for search/decompound.py, built by search/wordlists.py from",
        f"wordfreq {version('wordfreq')} (Robyn Speer; data CC BY-SA 4.0, and so is this file).",
        "<word> <zipf>",
    ]
    return header, [f"{word} {zipf:.2f}" for word, zipf in sorted(words.items())]


def build(dic: Path = HUNSPELL_DIC, aff: Path = HUNSPELL_AFF) -> list[Path]:
    """Write both files into search/data/; returns their paths."""
    _write(COMPOUNDS_FILE, *compounds_lines(dic, aff))
    _write(FREQUENCIES_FILE, *frequency_lines())
    return [COMPOUNDS_FILE, FREQUENCIES_FILE]
