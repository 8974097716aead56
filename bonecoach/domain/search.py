"""Forgiving food search: whole words and prefixes, plurals folded, common foods first.

The index is built once (tens of milliseconds for the whole catalog) and then answers a
keystroke in a few milliseconds, so the picker can search on every key.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bonecoach.domain.names import CATEGORY_HEADS as _CATEGORY_HEADS
from bonecoach.domain.names import short_name as short_name

_TOKEN = re.compile(r"[a-z0-9]+(?:[.%][a-z0-9%]*)*%?|%")

# USDA food groups a person is most likely to mean, and the ones they rarely mean unless they
# say so. This only orders results; nothing is hidden.
_COMMON_GROUPS = {
    "Dairy and Egg Products": 1.5,
    "Vegetables and Vegetable Products": 1.0,
    "Fruits and Fruit Juices": 1.0,
    "Legumes and Legume Products": 1.0,
    "Finfish and Shellfish Products": 1.0,
    "Nut and Seed Products": 0.8,
    "Cereal Grains and Pasta": 0.6,
    "Beverages": 0.6,
    "Poultry Products": 0.5,
    "Baked Products": 0.2,
    "Breakfast Cereals": 0.2,
}
_RARE_GROUPS = {
    "Baby Foods": -3.0,
    "Fast Foods": -2.0,
    "Restaurant Foods": -2.0,
    "Meals, Entrees, and Side Dishes": -1.5,
    "American Indian/Alaska Native Foods": -2.5,
    "Snacks": -0.5,
    "Sausages and Luncheon Meats": -1.5,
}
_FORTIFICATION = re.compile(r",?\s*(with|without) added [^,]*(,[^,]*vitamin[^,]*)*", re.I)
_UPPER_BRAND = re.compile(r"\b[A-Z][A-Z'&]{2,}\b")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, keeping "2%" and "3.25%" whole."""
    return _TOKEN.findall(text.lower())


def stem(word: str) -> str:
    """Fold simple English plurals so "bones" finds "bone", "berries" "berry", "potatoes" "potato"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class SearchItem:
    """What the index needs of a searchable thing."""

    id: str
    name: str
    group: str = ""
    boost: float = 0.0  # e.g. recent or custom items rank first
    portions: int = 0  # household measures known: a fair sign of an everyday food


TYPO_MIN_LETTERS = 4  # shorter words are too near too many others to correct
TYPO_CUTOFF = 0.8  # difflib's ratio: "chedar" -> "cheddar" 0.92, "brocoli" -> "broccoli" 0.93


@dataclass(frozen=True)
class SearchTerms:
    """Reviewed vocabulary (``assets/search_terms.json``): what people type -> the catalog's words,
    words marking a product made from a food (ranked after it unless typed), words marking the
    plain form, and the groups whose foods are eaten cooked."""

    synonyms: dict[str, str] = field(default_factory=dict)
    product_words: dict[str, float] = field(default_factory=dict)
    plain_words: dict[str, float] = field(default_factory=dict)
    cooked_groups: frozenset[str] = frozenset()
    cooked_bonus: float = 0.0
    eaten_as: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A food named alone (its words) -> the ids of the forms people eat, first (reviewed data)."""

    def rewrite(self, query: str) -> str:
        """The query with each phrase a person types replaced by the catalog's words."""
        text = " ".join(tokens(query.replace("-", " ")))
        for phrase, words in sorted(self.synonyms.items(), key=lambda pair: -len(pair[0])):
            text = re.sub(
                rf"(?<![a-z0-9]){re.escape(phrase.replace('-', ' '))}(?![a-z0-9])", words.replace("-", " "), text
            )
        return text

    def named_alone(self, query: str, *, rewritten: str | None = None) -> str:
        """``query`` as the key of ``eaten_as``: its words once the synonyms are rewritten
        ("swiss chard" is "chard swiss"); ``rewritten``: ``rewrite(query)``, when at hand."""
        return " ".join(tokens(self.rewrite(query) if rewritten is None else rewritten))

    def eaten_form(self, query: str, *, rewritten: str | None = None) -> tuple[str, ...]:
        """The forms (ids) reviewed as what people mean by ``query`` named alone, if any."""
        return self.eaten_as.get(self.named_alone(query, rewritten=rewritten), ())


@dataclass
class _Prepared:
    item: SearchItem
    words: tuple[str, ...]
    head: frozenset[str]  # the first part of the name: the food itself ("Milk", "Bread")
    second: frozenset[str]  # after a category ("Cheese, cheddar", "Beverages, coffee"): the food
    base: float
    products: tuple[tuple[frozenset[str], float], ...] = ()  # product words in the name, and weights
    cooked: bool = False  # a grain or legume named cooked: what people eat and log


@dataclass
class SearchIndex:
    """An inverted index from word stems to items, with prefix lookup over a sorted vocabulary."""

    items: list[_Prepared] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)
    terms: SearchTerms = field(default_factory=SearchTerms)
    positions: dict[str, int] = field(default_factory=dict)
    """Each id's first position."""

    @classmethod
    def build(cls, items: Iterable[SearchItem], terms: SearchTerms | None = None) -> SearchIndex:
        """Index ``items``; later items with the same id are kept as separate entries."""
        index = cls(terms=terms or SearchTerms())
        # Product phrases by one of their words, so each name checks only the phrases it could hold.
        products: dict[str, list[tuple[str, frozenset[str], float]]] = {}
        for phrase, weight in index.terms.product_words.items():
            stems = frozenset(stem(w) for w in tokens(phrase))
            if weight and stems:
                products.setdefault(min(stems), []).append((phrase, stems, weight))
        plain = [
            (frozenset(stem(w) for w in tokens(phrase)), weight) for phrase, weight in index.terms.plain_words.items()
        ]
        postings: dict[str, set[int]] = {}
        for position, item in enumerate(items):
            words = tuple(stem(word) for word in tokens(item.name))
            present = set(words)
            head, second = _name_parts(item.name)
            lower = item.name.lower()
            found = tuple(
                (stems, weight)
                for word in present
                for phrase, stems, weight in products.get(word, ())
                if stems <= present and phrase in lower
            )
            base = _base_score(item) + sum(weight for stems, weight in plain if stems <= present)
            cooked = item.group in index.terms.cooked_groups and "cook" in " ".join(words)
            index.items.append(_Prepared(item, words, head, second, base, found, cooked))
            index.positions.setdefault(item.id, position)
            for word in set(words) | {item.id.lower()}:
                postings.setdefault(word, set()).add(position)
        index.postings = {word: sorted(found) for word, found in postings.items()}
        index.vocabulary = sorted(postings)
        return index

    def _matching(self, token: str) -> set[int]:
        """Positions of items with a word equal to, or starting with, ``token``."""
        found: set[int] = set()
        start = bisect_left(self.vocabulary, token)
        for word in self.vocabulary[start:]:
            if not word.startswith(token):
                break
            found.update(self.postings[word])
        return found

    def _nearest(self, token: str) -> str:
        """The catalog word nearest a word that begins none (a typo), or the word itself."""
        if len(token) < TYPO_MIN_LETTERS:
            return token
        import difflib  # only for a word not in the vocabulary: not loaded by every command

        close = difflib.get_close_matches(token, self.vocabulary, n=1, cutoff=TYPO_CUTOFF)
        return close[0] if close else token

    def search(self, query: str, limit: int = 20) -> list[SearchItem]:
        """Items matching every word of ``query``, best first; if none match all, the most words.
        A word that begins no catalog word is read as the nearest one (a typo). A food named
        alone that people eat in one form ("kale": cooked) has that form first (``eaten_as``)."""
        rewritten = self.terms.rewrite(query)  # once: every keystroke searches
        found = self._search(rewritten, limit)
        preferred = self.terms.eaten_form(query, rewritten=rewritten)
        if not preferred:
            return found
        first = [self.items[self.positions[food_id]].item for food_id in preferred if food_id in self.positions]
        return (first + [item for item in found if item.id not in preferred])[:limit]

    def _search(self, rewritten: str, limit: int) -> list[SearchItem]:
        query_tokens = [stem(word) for word in tokens(rewritten)]
        if not query_tokens:
            return []
        per_token = [self._matching(token) for token in query_tokens]
        if not all(per_token):
            # A misspelt word ("chedar", "brocoli") begins no word of the catalog: read as the
            # nearest word that exists (difflib's ratio), when one is near enough.
            query_tokens = [
                token if found else self._nearest(token) for token, found in zip(query_tokens, per_token, strict=True)
            ]
            per_token = [found or self._matching(token) for token, found in zip(query_tokens, per_token, strict=True)]
        candidates = set.intersection(*per_token)
        required = len(query_tokens)
        if not candidates:
            # Forgive an extra or misspelt word: rank by how many words matched.
            candidates = set().union(*per_token)
            required = 1
        scored: list[tuple[float, int]] = []
        for position in candidates:
            matched = sum(1 for found in per_token if position in found)
            if matched < required:
                continue
            score = self._score(self.items[position], query_tokens) + 4.0 * matched
            scored.append((-score, position))
        scored.sort()
        return [self.items[position].item for _, position in scored[:limit]]

    def _score(self, prepared: _Prepared, query_tokens: Sequence[str]) -> float:
        score = prepared.base
        words = prepared.words
        query_set = set(query_tokens)
        # The last word may still be being typed ("mil" on the way to "milk"): it counts for the
        # food's own name when it begins one of its words.
        typing = query_tokens[-1]
        head = {w for w in prepared.head if w.startswith(typing)} | (prepared.head & query_set)
        second = {w for w in prepared.second if w.startswith(typing)} | (prepared.second & query_set)
        for token in query_tokens:
            if token in words:
                score += 3.0  # a whole word beats a prefix
            if token in prepared.head or (token is typing and head and not prepared.head & query_set):
                score += 2.5  # "milk" should find milks before milk chocolate
            elif token in prepared.second or (token is typing and second):
                score += 2.0  # "cheddar" is the food in "Cheese, cheddar"
        if prepared.head and head == prepared.head:
            score += 3.0  # the food is exactly what was named: "Spinach, raw" for "spinach"
        elif prepared.second and second == prepared.second:
            score += 3.0  # "Nuts, almonds" for "almonds"
        for stems, weight in prepared.products:
            if not stems <= query_set:
                score -= weight  # a product or flavour the person did not ask for
        if prepared.cooked and not query_set & {"raw", "dry", "uncooked"}:
            score += self.terms.cooked_bonus
        return score


def confident_match(name: str, candidate: str) -> bool:
    """Whether a food named ``name`` elsewhere (a Cronometer row) is surely the catalog food named
    ``candidate``: the same head (first part of the name, after a category such as "Nuts") and
    every word of ``name`` in the candidate. "Spinach, Cooked" is "Spinach, cooked, boiled,
    drained, without salt"; "Spinach Pasta" is not "Spinach, raw", nor "Kind Bar, Almond" any nut."""
    wanted = {stem(word) for word in tokens(name)}
    words = {stem(word) for word in tokens(candidate)}
    head = _food_words(name)
    return bool(wanted) and bool(head) and head == _food_words(candidate) and wanted <= words


def match_strength(query: str, candidate: str) -> str:
    """How surely a typed ``query`` names the catalog food ``candidate``: "sure" when every word
    typed is in its name and one of them names the food itself ("milk 2%" and "Milk, reduced
    fat, fluid, 2% milkfat"), else "ambiguous" (the search matched only some words, or only a
    word that does not name the food)."""
    wanted = {stem(word) for word in tokens(query)}
    words = {stem(word) for word in tokens(candidate)}
    head, second = _name_parts(candidate)
    if wanted and wanted <= words and wanted & (head | second):
        return "sure"
    return "ambiguous"


def _name_parts(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The first part of a name, and the second when the first is a category."""
    raw = [part.strip() for part in name.split(",")]
    parts = [part.lower() for part in raw]
    first = frozenset(stem(word) for word in tokens(parts[0]))
    if parts[0] in _CATEGORY_HEADS and len(parts) > 1:
        # "Cereals ready-to-eat, KELLOGG, KELLOGG'S ALL-BRAN": the maker is not the food.
        index = 2 if len(raw) > 2 and raw[1].isupper() else 1
        return first, frozenset(stem(word) for word in tokens(parts[index]))
    return first, frozenset()


def _food_words(name: str) -> frozenset[str]:
    """The words naming the food itself: the second part after a category, else the first."""
    first, second = _name_parts(name)
    return second or first


def _base_score(item: SearchItem) -> float:
    """How likely a plain search means this item, before looking at the query."""
    score = item.boost + 0.3 * min(item.portions, 6)
    score += _COMMON_GROUPS.get(item.group, 0.0) + _RARE_GROUPS.get(item.group, 0.0)
    # Fewer qualifiers: a more generic food. Fortification notes ("with added vitamin D") are
    # not qualifiers a person types, so they do not count against a food.
    core = _FORTIFICATION.sub("", item.name)
    score -= 0.35 * core.count(",") + len(core) / 90.0
    if _UPPER_BRAND.search(item.name):
        score -= 1.5  # branded products, e.g. "KELLOGG'S", after the generic food
    return score


def first_typed_ahead(typed: str, choices: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """Type-ahead in a list: the first choice (in the list's order) with a name or brand in which
    a word starts with ``typed`` ("lev" finds levothyroxine, "fos" Fosamax), else the first that
    contains it anywhere; ``None`` if none does."""
    wanted = typed.strip().lower()
    if not wanted:
        return None
    for choice_id, names in choices:
        if any(word.startswith(wanted) for name in names for word in re.split(r"[\s,()/+-]+", name.lower())):
            return choice_id
    for choice_id, names in choices:
        if any(wanted in name.lower() for name in names):
            return choice_id
    return None
