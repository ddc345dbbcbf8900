"""The word-level diff shown on a meeting's public history and in the clerk's preview (web.diff)."""

from web.diff import DELETED, INSERTED, SAME, Segment, word_diff, word_segments


def test_only_the_changed_words_are_marked_and_punctuation_is_its_own_token():
    assert word_segments("Beslutning\nAnbefales.", "Beslutning\nAnbefales med 5 stemmer.") == [
        Segment(SAME, "Beslutning Anbefales "),
        Segment(INSERTED, "med 5 stemmer"),
        Segment(SAME, "."),
    ]
    # A replaced word: the old struck through, a space, the new — the space outside the marking.
    assert word_segments("Godkendt.", "Afvist.") == [
        Segment(DELETED, "Godkendt"),
        Segment(SAME, " "),
        Segment(INSERTED, "Afvist"),
        Segment(SAME, "."),
    ]


def test_the_same_words_in_other_whitespace_are_no_change():
    assert word_diff("Sag nr. 1\n  Godkendt. ", "Sag nr. 1\r\nGodkendt.") == []


def test_unchanged_stretches_are_cut_to_context_and_nearby_changes_share_a_hunk():
    words = [f"w{i}" for i in range(40)]
    old = " ".join(words)
    new = " ".join(["NY", *words[:20], "MIDT", *words[20:], "SLUT"])
    hunks = word_diff(old, new, context=3)
    assert len(hunks) == 3
    first, middle, last = hunks
    assert (first.cut_before, first.segments[0], first.segments[1].text) == (
        False,
        Segment(INSERTED, "NY"),
        " w0 w1 w2",
    )
    assert first.cut_after
    assert [s.text for s in middle.segments] == ["w17 w18 w19 ", "MIDT", " w20 w21 w22"]
    assert middle.cut_before and middle.cut_after
    assert [s.kind for s in last.segments] == [SAME, INSERTED] and last.segments[-1].text == "SLUT"
    # Two changes closer than twice the context are one hunk.
    close = word_diff(old, old.replace("w10", "A").replace("w13", "B"), context=3)
    assert len(close) == 1 and [s.kind for s in close[0].segments].count(INSERTED) == 2
