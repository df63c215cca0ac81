"""English singulars and plurals, as Rails and Laravel derive them for resource routes.

`resources :magazines` nests its children under `{magazine_id}`, `resource :profile` is served
by `profiles#show`, and Laravel's `photos` resource binds `{photo}`: the parameter names users see
in their URLs come from these rules. They cover the regular forms and the common irregular nouns,
not the whole of ActiveSupport's or Doctrine's inflector tables.
"""

from __future__ import annotations

import re

_IRREGULAR = {
    "person": "people", "man": "men", "woman": "women", "child": "children", "tooth": "teeth",
    "foot": "feet", "mouse": "mice", "goose": "geese", "ox": "oxen", "leaf": "leaves",
    "life": "lives", "knife": "knives", "wife": "wives", "half": "halves", "move": "moves",
    "cookie": "cookies", "movie": "movies", "criterion": "criteria", "datum": "data",
    "status": "statuses", "alias": "aliases", "quiz": "quizzes", "index": "indices",
    "matrix": "matrices", "vertex": "vertices", "analysis": "analyses", "crisis": "crises",
    "thesis": "theses", "axis": "axes", "bus": "buses", "virus": "viruses",
}  # fmt: skip
_UNCOUNTABLE = frozenset(
    {"equipment", "information", "rice", "money", "species", "series", "fish", "sheep",
     "news", "police", "feedback", "metadata", "staff", "software", "data"}
)  # fmt: skip
_SINGULAR_OF = {plural: singular for singular, plural in _IRREGULAR.items()}

_PLURAL_RULES = (
    (re.compile(r"([^aeiouy]|qu)y$"), r"\1ies"),
    (re.compile(r"(x|z|ch|ss|sh)$"), r"\1es"),
    (re.compile(r"sis$"), "ses"),
    # Like ActiveSupport: a word already ending in `s` stays (`resource :settings`).
    (re.compile(r"s$"), "s"),
    (re.compile(r"$"), "s"),
)
_SINGULAR_RULES = (
    (re.compile(r"([^aeiouy])ies$"), r"\1y"),
    (re.compile(r"(ss|x|z|ch|sh)es$"), r"\1"),
    (re.compile(r"(ss|us|is)$"), r"\1"),
    (re.compile(r"s$"), ""),
)


def _last_word(word: str) -> tuple[str, str]:
    """`user_profiles` → (`user_`, `profiles`): inflection applies to the last word only."""
    match = re.search(r"[a-z0-9]+$", word.lower())
    cut = match.start() if match else len(word)
    return word[:cut], word[cut:]


def _inflect(
    word: str, table: dict[str, str], rules: tuple[tuple[re.Pattern[str], str], ...]
) -> str:
    head, tail = _last_word(word)
    lower = tail.lower()
    if not tail or lower in _UNCOUNTABLE:
        return word
    if lower in table:
        return head + tail[0] + table[lower][1:]
    for pattern, replacement in rules:
        if pattern.search(tail):
            return head + pattern.sub(replacement, tail, count=1)
    return word


def singularize(word: str) -> str:
    """`magazines` → `magazine`, `categories` → `category`, `people` → `person`."""
    if word.lower() in _IRREGULAR:
        return word
    return _inflect(word, _SINGULAR_OF, _SINGULAR_RULES)


def pluralize(word: str) -> str:
    """`profile` → `profiles`, `category` → `categories`, `person` → `people`."""
    if word.lower() in _SINGULAR_OF:
        return word
    return _inflect(word, _IRREGULAR, _PLURAL_RULES)
