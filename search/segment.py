"""Chinese word segmentation for the search index and for queries (pure: no Django).

The database search backends split text on whitespace and punctuation, which leaves a Chinese
sentence as one long "word". Text is therefore segmented with jieba before it is indexed and
before it is searched, and the tokens are joined with spaces:

- Chinese runs are cut in jieba's search mode at index time (a long word and the dictionary words
  inside it: 网络安全 → 网络 安全 网络安全), so a query word found inside a longer indexed word
  still matches; queries are cut in precise mode (one token per word the reader typed).
- Latin letters and digits are kept as tokens in lower case. A joined term such as ``Win+L``,
  ``Ctrl+Alt+Del`` or ``CA-证书``'s ``CA`` is indexed as its parts and as the parts run together
  (``win l winl``), and a query for it asks for the run-together token, so the parts do not match
  separately.
- The domain dictionary (e-government terms, plus the office's own from the SearchTerm snippet)
  keeps terms such as 网上审批 or 等级保护 whole.
"""

import re
import threading
from functools import lru_cache

import jieba

# Terms the office's courses use that jieba's general dictionary splits or does not know. The
# office adds its own in the admin (Search terms); both are loaded into the segmenter.
DOMAIN_TERMS = (
    "电子政务",
    "政务服务",
    "公文",
    "电子公文",
    "公文审批",
    "网上审批",
    "等级保护",
    "等保",
    "一站式",
    "一网通办",
    "网络安全",
    "信息安全",
    "数据安全",
    "数字证书",
    "电子签章",
    "电子印章",
    "办公自动化",
    "政务公开",
    "保密",
    "涉密",
    "弱口令",
    "钓鱼邮件",
    "锁屏",
)

# A Latin or digit term, possibly joined by + . # - / _ (Win+L, C#, U盘's U, 2.0, Ctrl+Alt+Del).
_LATIN = re.compile(r"[A-Za-z0-9]+(?:[+.#\-/_][A-Za-z0-9]+)*[+#]*")
_LATIN_PART = re.compile(r"[A-Za-z0-9]+")
# Han characters (CJK unified ideographs, extension A, compatibility ideographs).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_RUN = re.compile(r"[A-Za-z0-9]+(?:[+.#\-/_][A-Za-z0-9]+)*[+#]*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_loaded_terms: frozenset[str] = frozenset()
# Bumped whenever the segmenter learns a word: a query's cut is cached under it (segment_query), so
# a cut made with the older dictionary is never served once a Search term has been loaded.
_dictionary_generation = 0


def _get_tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for term in DOMAIN_TERMS:
                    tokenizer.add_word(term, freq=200000)
                _tokenizer = tokenizer
    return _tokenizer


def add_terms(terms) -> None:
    """Teach the segmenter more words (the office's SearchTerm snippets). Idempotent."""
    global _loaded_terms, _dictionary_generation
    tokenizer = _get_tokenizer()
    new = {term.strip() for term in terms if term and term.strip()} - _loaded_terms
    if not new:
        return
    with _lock:
        for term in new:
            tokenizer.add_word(term, freq=200000)
        _loaded_terms = _loaded_terms | frozenset(new)
        _dictionary_generation += 1


# Joining words a reader types between terms ("网上与公文"); they would otherwise have to match too.
_QUERY_STOP_WORDS = frozenset("的 与 和 及 或 在 了 是 之".split())


def _query_pieces(tokenizer: jieba.Tokenizer, word: str) -> list[str]:
    """A query word as the shorter dictionary words that cover it, when they do (网上审批 → 网上 审批):
    the index holds a text's short words too, so 网上审批 finds 网上公文审批. Otherwise the word."""
    pieces = [(start, end, piece) for piece, start, end in tokenizer.tokenize(word, mode="search") if piece != word]
    cover, position = [], 0
    while position < len(word):
        here = [(end, piece) for start, end, piece in pieces if start == position]
        if not here:
            return [word]
        end, piece = max(here)
        cover.append(piece)
        position = end
    return cover


def _latin_tokens(term: str, *, for_index: bool) -> list[str]:
    parts = [part.lower() for part in _LATIN_PART.findall(term)]
    if len(parts) == 1:
        return parts
    joined = "".join(parts)
    return [*parts, joined] if for_index else [joined]


def tokens(text: str, *, for_index: bool) -> list[str]:
    """The tokens of ``text``: search-mode cut for the index, precise cut for a query."""
    if not text:
        return []
    tokenizer = _get_tokenizer()
    out: list[str] = []
    for match in _RUN.finditer(text):
        run = match.group(0)
        if _HAN.fullmatch(run) and for_index:
            out.extend(word for word in tokenizer.cut_for_search(run) if word.strip())
        elif _HAN.fullmatch(run):
            for word in tokenizer.cut(run):
                if word not in _QUERY_STOP_WORDS:
                    out.extend(_query_pieces(tokenizer, word))
        else:
            out.extend(_latin_tokens(run, for_index=for_index))
    return out


def segment_for_index(text: str) -> str:
    """Text as space-separated tokens, for the search index."""
    return " ".join(tokens(text, for_index=True))


def segment_query(text: str) -> str:
    """A query as space-separated tokens (each must match). Cached per process: a catalogue search
    cuts the same query three times (courses, steps, snippets), and readers repeat queries."""
    return _segment_query(text, _dictionary_generation)


@lru_cache(maxsize=2048)
def _segment_query(text: str, generation: int) -> str:  # generation: part of the key only
    return " ".join(tokens(text, for_index=False))


def pinyin_initials(text: str) -> str:
    """Pinyin initials of each Chinese word of ``text`` and of each whole Chinese run
    (网络安全意识 → wlaq ys wlaqys), space-separated, indexed so a catalogue query dzzw finds 电子政务."""
    from pypinyin import Style, lazy_pinyin

    tokenizer = _get_tokenizer()
    groups: list[str] = []
    for run in _HAN.findall(text):
        words = [word for word in tokenizer.cut(run) if len(word) > 1]
        groups.extend(words)
        if len(run) > 1 and words != [run]:
            groups.append(run)
    initials = []
    for group in dict.fromkeys(groups):
        letters = "".join(syllable[:1] for syllable in lazy_pinyin(group, style=Style.FIRST_LETTER))
        if letters.isascii() and letters.isalpha():
            initials.append(letters.lower())
    return " ".join(initials)


def highlight_spans(text: str, query_tokens: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each occurrence of a query token in ``text`` (case-insensitive), merged."""
    lowered = text.lower()
    spans = []
    for token in query_tokens:
        if not token:
            continue
        needle = token.lower()
        start = lowered.find(needle)
        while start != -1:
            spans.append((start, start + len(needle)))
            start = lowered.find(needle, start + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
