"""One tokenizer for the index, the queries and the snippets, on SQLite and PostgreSQL alike.

- Normalisation: NFKC character by character (full-width Latin letters and half-width kana
  become ordinary ones; a half-width voiced mark joins its kana), then lower case. Each normalised
  character remembers where it came from, so a token knows its span in the ORIGINAL text and
  a snippet can mark the very characters the reader wrote.
- Japanese, Chinese and Korean have no spaces: a run of such characters becomes its
  overlapping bigrams (決済基盤 → 決済 済基 基盤) plus its last character alone (盤), so every
  character starts some term. A query word of two or more characters needs all its bigrams
  (決済 is found inside 決済API and 決済基盤); a one-character query word matches as a prefix
  of the terms (決 finds 決済 and 解決).
- Other words (letters and digits) are split at anything else. English words are stemmed
  with Snowball, and a stem in -ur loses it, so "failure" meets "failed" and "failing".
- An incident number `INC-7` is one term, `inc7`, so INC-7 does not find INC-70.

Terms hold only letters and digits (never a quote, colon or space), so they can be written
into an FTS5 query or a tsvector literal as they are."""

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]  # ships no type information

# A term longer than this is cut (hashes, encoded blobs): the same cut on both sides.
MAX_TERM = 48

_STEMMER = snowballstemmer.stemmer("english")
_ENGLISH = re.compile(r"^[a-z]+$")


# Characters written without spaces between words: kanji, kana (with ー, without the double
# hyphen, the middle dot and voicing marks standing alone), hangul, and 々〆〇.
_CJK_RANGES = (
    "\u3040-\u3098\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"  # kana, not lone voicing marks
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"  # ideographs
    "\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"  # kana extension, hangul
    "\u3005\u3006\u3007"  # 々〆〇
)
_CJK = re.compile(f"[{_CJK_RANGES}]")
# A run of CJK characters, or a run of other letters and digits.
_RUN = re.compile(f"([{_CJK_RANGES}]+)|([^\\W_{_CJK_RANGES}]+)")
_INCIDENT_NUMBER = re.compile(f"inc-(\\d+)(?![^\\W_{_CJK_RANGES}])")


def is_cjk(char: str) -> bool:
    """Characters written without spaces between words: kanji, kana, hangul."""
    return bool(_CJK.match(char))


@lru_cache(maxsize=8192)
def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


def normalise(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """The text in NFKC and lower case, and for each of its characters the span (start, end)
    of the original characters it came from."""
    folds = {char: _fold(char) for char in set(text)}
    table = {ord(char): folded for char, folded in folds.items() if folded != char}
    # Characters that do not stay one character: … becomes ..., a half-width voiced mark
    # joins the kana before it (ﾊﾟ → パ).
    uneven = [c for c, f in folds.items() if len(f) != 1 or unicodedata.combining(f)]
    if not uneven:
        # The usual case: each character stays one, at the same place.
        return text.translate(table), range(len(text)), range(1, len(text) + 1)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0
    for match in re.finditer("|".join(map(re.escape, uneven)), text):
        index = match.start()
        if index > done:
            # A stretch of even characters: copied in one go.
            pieces.append(text[done:index].translate(table))
            starts.extend(range(done, index))
            ends.extend(range(done + 1, index + 1))
        for piece in folds[text[index]]:
            if pieces and unicodedata.combining(piece):
                joined = unicodedata.normalize("NFC", pieces[-1][-1] + piece)
                if len(joined) == 1:
                    pieces[-1] = pieces[-1][:-1] + joined
                    ends[-1] = index + 1
                    continue
            pieces.append(piece)
            starts.append(index)
            ends.append(index + 1)
        done = index + 1
    if done < len(text):
        pieces.append(text[done:].translate(table))
        starts.extend(range(done, len(text)))
        ends.extend(range(done + 1, len(text) + 1))
    return "".join(pieces), starts, ends


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The term for one lower-case word of letters and digits."""
    if not _ENGLISH.match(word):
        return word[:MAX_TERM]
    stemmed: str = _STEMMER.stemWord(word)
    if stemmed.endswith("ur") and len(stemmed) >= 6:
        stemmed = stemmed[:-2]  # failure → failur → fail; departure → depart
    return stemmed[:MAX_TERM]


@dataclass(frozen=True)
class Token:
    term: str
    start: int  # span in the original text
    end: int


def _scan(normal: str, query: bool) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) in the normalised text."""
    merged_until = -1
    for match in _RUN.finditer(normal):
        start, end = match.span()
        if start < merged_until:
            continue  # the digits of an incident number already given
        cjk = match.group(1)
        if cjk:
            if len(cjk) == 1:
                yield cjk, start, end
                continue
            for i in range(len(cjk) - 1):
                yield cjk[i : i + 2], start + i, start + i + 2
            if not query:
                yield cjk[-1], end - 1, end
            continue
        word = match.group(2)
        if word == "inc" and (number := _INCIDENT_NUMBER.match(normal, start)):
            # INC-7: one term for the incident number.
            merged_until = number.end()
            yield "inc" + number.group(1), start, merged_until
            continue
        yield stem(word), start, end


def tokenize(text: str, *, query: bool = False) -> list[Token]:
    """The terms of `text` in order, with their spans in `text`. A document's CJK runs end
    with their last character alone; a query's do not (its bigrams already say it)."""
    normal, starts, ends = normalise(text)
    return [Token(term, starts[a], ends[b - 1]) for term, a, b in _scan(normal, query)]


def terms(text: str) -> list[str]:
    """A document's terms, in order."""
    return [term for term, _start, _end in _scan(normalise(text)[0], False)]


@dataclass(frozen=True)
class Query:
    """What a search asks for: every term must be present; `prefixes` match the start of a
    term (one-character CJK words)."""

    exact: tuple[str, ...]
    prefixes: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def matches(self, term: str) -> bool:
        return term in self.exact or any(term.startswith(p) for p in self.prefixes)


def parse_query(text: str) -> Query:
    """The query's terms, each once, in order. A CJK word of one character is a prefix."""
    exact: list[str] = []
    prefixes: list[str] = []
    for token in tokenize(text, query=True):
        bucket = prefixes if len(token.term) == 1 and is_cjk(token.term) else exact
        if token.term not in bucket:
            bucket.append(token.term)
    return Query(tuple(exact), tuple(prefixes))
