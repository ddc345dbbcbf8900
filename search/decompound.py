"""Danish compound words split into the real words they are made of, so a search for a word also finds the cases
where it is part of a compound: "klima" in "klimatilpasningen", "skole" in "folkeskolen", "plan" in
"lokalplanforslaget". Plain Python, no Django: the index stores the parts' stems as extra terms
(search/index.py), so a query stays an index lookup.

Elasticsearch's `dictionary_decompounder` and Solr's `DictionaryCompoundWordTokenFilter` emit every dictionary
word found anywhere inside a token; that is why their documentation warns of false parts ("by" in "byggeri",
"tal" in "samtale"), and why `hyphenation_decompounder` limits them to hyphenation points, and both take a list
of protected words. Here a word is split only when all of it is accounted for, and only the way Danish builds
compounds:

1. **The dictionary's grammar.** hunspell-da (Stavekontrolden) says, for each word, whether and how it may begin
   or continue a compound — with the linking letter -s- ("beskæftigelse|s|plan", "fritid|s|tilbud",
   "arbejd|s|marked" for "arbejde"), -e- ("børn|e|have", "folk|e|skole") or none ("klima|tilpasning") — and which
   forms may end one, inflected as the whole word is ("…planerne"). A split is a run of such forms and one
   ending that together are the whole word (search/wordlists.py builds the lists in search/data/).
2. **Real parts of at least three letters**, no stop word. The last part must carry at least three letters of
   the whole word's stem, so an ending that is only inflection is no part ("borg|er", "bil|aget", "fald|ende");
   derivational suffixes that are also words never are ("ledig|hed", "regn|skab", "del|vis", "lav|este").
3. **A compound, not a coincidence** (Koehn & Knight, "Empirical methods for compound splitting", 2003): the
   parts must together be more common than the whole word (mean Zipf frequency in wordfreq's Danish list) —
   "folke|skolen" splits, "kul|tur", "pro|cent" and "met|ode" do not — and a part shorter than eight letters must
   be a common word itself ("samsk|abe", "pro|fiteret" are no splits). Of the possible splits the one with the
   fewest parts wins, then the one whose parts are most common; each part is split again the same way
   ("jobcenter|medarbejder" gives "job" and "center" too).
4. **Protected words**: a short list of words the rules above would still split wrongly (`PROTECTED`, like the
   protected-words list of Solr's and Elasticsearch's filters): "vej|ledning" is guidance, not a road.

What a word yields: the stems of its parts, of its parts' parts, and of each run of neighbouring parts that is a
word itself ("lokal|plan|forslag" → lokal, plan, forslag, lokalplan, planforslag) — never its own stem. Stems,
because a query word meets a part by stem exactly as it meets a whole word: "skolen" finds "folkeskolerne".
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache, lru_cache

from search import danish
from search.wordlists import COMPOUNDS_FILE, FREQUENCIES_FILE

MIN_PART = 3  # letters of a part, and of the whole word's stem that its last part must carry
COMMON_PART = 8  # a part shorter than this must be a common word (in wordfreq's Danish list)
MAX_WORD = 60  # longer "words" are codes or glued text, not compounds
# Letters and Zipf frequency from which a word the dictionary does not list as a compound's beginning may begin
# one all the same, without a linking letter (adjectives used as nouns: "udsatte|politikken").
COMMON_JOINING = (6, 4.0)
# Danish derivational suffixes that are also words of their own; at a compound's end they are the suffix:
# "ledighed" is not "ledig" + "hed", "regnskab" not "regn" + "skab", "delvis" not "del" + "vis".
SUFFIX_WORDS = (
    "hed",
    "skab",
    "dom",
    "vis",
    "vist",
    "bar",
    "lig",
    "som",
    "løs",
    "fuld",
    "mæssig",
    "agtig",
    "artet",
    "ende",
    "este",
    "gøre",
    "gørelse",
)
# Adverbs that begin verbs and nouns as prefixes do ("gennem|føre"), not as words of a compound.
PARTICLES = frozenset(("gennem", "igennem", "tilbage", "sammen", "imellem", "omkring", "udenfor", "indenfor"))
# Words (any inflection, by stem) that rules 1–3 would split but that are no compounds of those parts.
PROTECTED = (
    "vejledning",
    "vejlede",
    "velfærd",
    "deltage",
    "deltagelse",
    "frivillig",
    "begrunde",
    "begrundelse",
    "orientering",
    "orientere",
    "konsulent",
    "sammenhæng",
    "sammenhængende",
    "redegøre",
    "redegørelse",
    "værktøj",
    "kampagne",
    "ligeledes",
    "videreføre",
    "videreførelse",
    "nødvendig",
    "aktivering",
    "aktivere",
)
_STOP_STEMS = frozenset(danish.stem(w) for w in danish.STOP_WORDS)
_SUFFIX_STEMS = frozenset(danish.stem(w) for w in SUFFIX_WORDS)
_PROTECTED_STEMS = frozenset(danish.stem(w) for w in PROTECTED)


@dataclass(frozen=True)
class Lexicon:
    joining: dict[str, tuple[str, ...]]  # a form that begins or continues a compound → the words it comes from
    ending: dict[str, tuple[str, ...]]  # stem of a form that may end a compound → stems of its base words
    zipf: dict[str, float]  # word → Zipf frequency (absent: not among wordfreq's common Danish words)


@cache
def lexicon() -> Lexicon:
    """The word lists in search/data/, read once per process (under a second)."""
    joining: dict[str, tuple[str, ...]] = {}
    ending: dict[str, tuple[str, ...]] = {}
    with gzip.open(COMPOUNDS_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            kind, _, rest = line.rstrip("\n").partition(" ")
            if kind == "B":
                form, _, words = rest.partition(" ")
                joining[form] = tuple(words.split(","))
            elif kind == "E":
                stem, _, bases = rest.partition(" ")
                ending[stem] = tuple(bases.split(",")) if bases else ()
    zipf: dict[str, float] = {}
    with gzip.open(FREQUENCIES_FILE, "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                word, _, value = line.partition(" ")
                zipf[word] = float(value)
    return Lexicon(joining, ending, zipf)


@dataclass(frozen=True)
class Part:
    """One part of a split: its letters in the word (linking letter included), the dictionary words it stands
    for (a joining part; for the last part, its letters) and their stems."""

    text: str
    words: tuple[str, ...]
    stems: tuple[str, ...]


# Inflectional endings of Danish nouns, verbs and adjectives (definite, plural, genitive, past, neuter, degree): what is
# left without one is the likely base form of an inflected word ("skolerne" → "skole", "indsatsen" → "indsats").
INFLECTIONS = (
    *("erne", "ernes", "enes", "este", "ene", "ens", "ets", "rne", "ere", "est"),
    *("en", "et", "er", "es", "ne", "st", "e", "n", "r", "s", "t"),
)


def _frequency(word: str, lex: Lexicon) -> float:
    """How common a word is, looked up as written or, for an inflected form, as its likely base form (never as a
    stop word: "haverne" is not as common as "have"). Not by its Snowball stem, which also cuts derivational
    suffixes ("sydelse" → "syd")."""
    bases = [word[: -len(ending)] for ending in INFLECTIONS if word.endswith(ending) and len(word) > len(ending) + 2]
    return max(lex.zipf.get(w, 0.0) for w in (word, *bases) if w == word or w not in danish.STOP_WORDS)


def _part_frequency(part: Part, lex: Lexicon) -> float:
    return max(_frequency(w, lex) for w in part.words)


def _acceptable(part: Part, lex: Lexicon) -> bool:
    return len(part.text) >= COMMON_PART or _part_frequency(part, lex) > 0


def _joining(form: str, lex: Lexicon) -> Part | None:
    words = tuple(w for w in lex.joining.get(form, ()) if len(w) >= MIN_PART and w not in danish.STOP_WORDS)
    common = lex.zipf.get(form, 0.0) >= COMMON_JOINING[1] and form not in PARTICLES
    if not words and len(form) >= COMMON_JOINING[0] and common:
        # A common word the dictionary does not list as joining ("udsatte|rådet"), joined without a letter.
        words = (form,)
    stems = tuple(dict.fromkeys(s for s in map(danish.stem, words) if s not in _STOP_STEMS))
    return Part(form, words, stems) if stems else None


def _ending(rest: str, whole_stem: str, start: int, lex: Lexicon) -> Part | None:
    stem = danish.stem(rest)
    # Inside a long word Snowball may cut more than from the word alone ("…ydelse" → "…yd" but "ydelse" → "ydels",
    # "…mulighed" → "…mu"): a last part that is a long word of its own may carry two letters of the whole stem.
    carried = len(whole_stem) - start
    if (
        len(rest) >= MIN_PART
        and (carried >= MIN_PART or (carried == 2 and len(rest) >= 2 * MIN_PART))
        and stem in lex.ending
        and stem not in _SUFFIX_STEMS
        # An ending with a stop word's stem must be a word as written, longer than a particle ("børne|haven", not
        # "rem|inders", "region|alt"); it ends the compound but is no part a search can ask for.
        and (stem not in _STOP_STEMS or (rest in lex.zipf and len(rest) > MIN_PART))
    ):
        # Snowball does not always give an inflected form the stem of its base form ("stien" → "stien", "sti" →
        # "sti"; "indsatsen" → "indsats", "indsats" → "indsat"): the part also stands for the dictionary words it
        # is a form of.
        stems = () if stem in _STOP_STEMS else (stem, *lex.ending[stem])
        return Part(rest, (rest,), stems)
    return None


def _splits(word: str, lex: Lexicon) -> list[tuple[Part, ...]]:
    """Every way to read the whole word as joining forms followed by one ending (rules 1 and 2)."""
    whole_stem = danish.stem(word)

    @cache
    def from_(start: int) -> tuple[tuple[Part, ...], ...]:
        found = []
        for end in range(start + MIN_PART, len(word) - MIN_PART + 1):
            head = _joining(word[start:end], lex)
            if head is None or not _acceptable(head, lex):
                continue
            last = _ending(word[end:], whole_stem, end, lex)
            if last is not None and _acceptable(last, lex):
                found.append((head, last))
            found.extend((head, *tail) for tail in from_(end))
        return tuple(found)

    return list(from_(0))


@lru_cache(maxsize=100_000)
def split(word: str) -> tuple[Part, ...]:
    """The parts of a lowercased word, or () when it is not a compound (rules 1–4)."""
    if not (2 * MIN_PART <= len(word) <= MAX_WORD) or not word.isalpha():
        return ()
    if danish.stem(word) in _PROTECTED_STEMS:
        return ()
    lex = lexicon()
    if word.endswith("s") and lex.zipf.get(word[:-1]):
        # A genitive ("byggeris"): the word it is of decides ("byggeri", no compound of "bygge" and "ris").
        return split(word[:-1])
    whole = _frequency(word, lex)
    best, best_key = (), None
    for candidate in _splits(word, lex):
        score = sum(_part_frequency(p, lex) for p in candidate) / len(candidate)
        if score <= whole:
            continue
        key = (-len(candidate), score)
        if best_key is None or key > best_key:
            best, best_key = candidate, key
    return best


@lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The stems a lowercased word contributes as a compound: its parts', its parts' parts', and each run of
    neighbouring parts that is a word itself; () for a word that is no compound. Never the word's own stem."""
    found = split(word)
    if not found:
        return ()
    lex = lexicon()
    stems = [s for part in found for s in part.stems]
    for part in found:
        for inner in part.words:
            stems.extend(parts(inner))
    # Runs of two or more neighbouring parts ("lokal|plan" of "lokal|plan|forslag"). A joining part's letters
    # include its linking letter, so a run that ends on one is spelt with the word that part comes from.
    for i in range(len(found)):
        for j in range(i + 1, len(found)):
            if i == 0 and j == len(found) - 1:
                continue
            head = "".join(p.text for p in found[i:j])
            for last in found[j].words:
                stem = danish.stem(head + last)
                if stem in lex.ending:
                    stems.append(stem)
    own = danish.stem(word)
    return tuple(s for s in dict.fromkeys(stems) if s != own)


def text_parts(text: str) -> list[str]:
    """The distinct part stems of the compounds in a text, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in dict.fromkeys(danish.words(text)):
        for stem in parts(word):
            seen.setdefault(stem, None)
    return list(seen)


def explain(word: str) -> str:
    """A word's split written out for people ("beskæftigelses|plan"), or the word itself."""
    found = split(word.lower())
    return "|".join(p.text for p in found) if found else word
