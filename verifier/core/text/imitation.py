"""Whom a host imitates: every organisation's brand tokens, and the scan of a host for them.

Built by verifier.core.text.domains' DomainIndex, which decides ownership first: only a host
that is nobody's is scanned here. Pure; immutable once built.

A host that is nobody's that is nobody's imitates an organisation when it carries one of the
organisation's brand tokens, found in every label but the public suffix (so a brand in a
subdomain of someone else's domain counts, as does one in the "user@" part of an address):

- tokens: the label of each official domain (icbc, abchina, bank-of-china, 95588), the
  English name and Latin aliases (alipay, chinamobile), the id, the pinyin of the Chinese
  name and aliases of three characters or more (gongshangyinhang) and their initials
  (zggsyh, gsyh); for banks, payment, insurance, securities and telecom companies also their
  five-digit 95xxx/100xx hotlines (95588-icbc.com);
- how a token may appear, by length, so that short abbreviations do not fire inside ordinary
  words: 1-2 characters (jd, qq) only as a whole hyphen-separated part; 3 characters (abc,
  ccb) or digits only as a whole part or a whole letter or digit run (ccb-vip, ccb1);
  4-7 characters also at the start or end of a part (icbcapk, myicbc), pinyin only when
  what remains is not a single letter (baixing is not baixin); 8 or more anywhere;
- one edit away (two for tokens of ten or more letters) from a domain label or Latin name of
  five letters or more (a1ipay, cmbchlna), also at the start or end of a longer part; digits
  and pairs that pass for letters (0/o, 1/l/i, rn/m, vv/w) read as those letters;
- letters from other scripts that look Latin (Cyrillic а in аlipay.com) read as the Latin
  ones (Unicode confusables), punycode decoded; Chinese labels (工商银行.com) read as pinyin.

For an organisation the text names, its abbreviation is no coincidence: three letters at the
start or end of a part with two more letters (abcvc), four or more anywhere, count too.
When several organisations' tokens are found, one the text names wins, then the longest token.

Not imitation: a host whose registrable name is exactly an organisation's official domain
label or hotline (`site_names` here) under a long-established suffix (icbc.com beside
icbc.com.cn, 95508.com for CGB's 95508). Brands register those first; DomainIndex answers it
"cannot confirm" (link_unverifiable), not "imitation".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from registry.models import Organization
from verifier.core.text.links import FoundLink, registrable_domain, suffix_of

# Words in hosts that name no one: never brand tokens, never compared.
GENERIC_LABELS = frozenset({
    "www", "www1", "www2", "wap", "m", "h5", "com", "cn", "net", "org", "gov", "edu", "top", "xyz", "vip",
    "app", "apk", "web", "api", "cdn", "img", "static", "login", "logon", "signin", "kefu", "service",
    "services", "secure", "safe", "verify", "account", "online", "mobile", "bank", "pay", "help", "ebank",
    "mail", "email", "china", "official", "guanwang", "zhongguo", "yinhang", "info", "site", "shop",
    "home", "user", "my", "new", "cloud", "download", "support", "center", "group", "the", "of", "and",
})
# Hotlines that are brands in themselves, for the categories fake customer service imitates.
_HOTLINE_TOKEN = re.compile(r"95[0-9]{3}|100[0-9]{2}")
_HOTLINE_CATEGORIES = frozenset({"bank", "payment", "insurer", "securities", "telecom"})
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PARENS = re.compile(r"[（(]([^）)]*)[）)]")
_RUNS = re.compile(r"[a-z]+|[0-9]+")
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
_LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
_PAIRS = (("rn", "m"), ("vv", "w"))


@dataclass(frozen=True, slots=True)
class Hit:
    """A brand token found in a host: how long a match (the best hit wins), which token, whose."""

    score: float
    token: str
    ids: frozenset[str]
    detail: str  # how: name, subdomain, userinfo, edit, lookalike_chars, homoglyph, chinese_name


class BrandTokens:
    """Every organisation's brand tokens (see the module docstring)."""

    def __init__(self, organizations: Iterable[Organization]) -> None:
        tokens: dict[str, set[str]] = {}
        loose: set[str] = set()  # tokens from something other than pinyin (not held to pinyin's anchoring)
        domain_labels: dict[str, set[str]] = {}  # token → ids whose official domain label it is
        site_names: dict[str, set[str]] = {}  # domain labels and hotlines: names a brand registers
        org_tokens: dict[str, set[str]] = {}  # id → its tokens
        fuzzy: set[str] = set()
        for org in organizations:
            for domain in org.domains:
                registrable = registrable_domain(domain.lower().strip("."))
                if registrable is None:  # a public suffix itself (gov.cn): no brand in it
                    continue
                label = registrable[: -len(suffix_of(registrable)) - 1]
                for token in {label.replace("-", ""), label}:
                    if _add(tokens, token, org.id, min_length=2):
                        loose.add(token)
                        domain_labels.setdefault(token, set()).add(org.id)
                        site_names.setdefault(token, set()).add(org.id)
                        fuzzy.add(token)
            for latin in _latin_names(org):
                if _add(tokens, latin, org.id):
                    loose.add(latin)
                    fuzzy.add(latin)
            if "-" not in org.id:
                if _add(tokens, org.id, org.id):
                    loose.add(org.id)
            elif _add(tokens, org.id.replace("-", ""), org.id) and len(org.id) < 8:
                loose.add(org.id.replace("-", ""))
            for syllables, is_name in _chinese_names(org):
                if len(syllables) >= 3 or is_name:
                    _add(tokens, "".join(syllables), org.id)
                if len(syllables) >= 3:
                    _add(tokens, "".join(s[0] for s in syllables), org.id)
            if str(org.category) in _HOTLINE_CATEGORIES:
                for number in org.numbers:
                    if _HOTLINE_TOKEN.fullmatch(number.number) and _add(tokens, number.number, org.id):
                        loose.add(number.number)
                        site_names.setdefault(number.number, set()).add(org.id)
        self._tokens = {token: frozenset(ids) for token, ids in tokens.items()}
        self._loose = frozenset(loose)
        self.domain_labels = {token: frozenset(ids) for token, ids in domain_labels.items()}
        self.site_names = {token: frozenset(ids) for token, ids in site_names.items()}
        for token, ids in self._tokens.items():
            for org_id in ids:
                org_tokens.setdefault(org_id, set()).add(token)
        self._org_tokens = {org_id: frozenset(found) for org_id, found in org_tokens.items()}
        by_length: dict[int, list[str]] = {}
        for token in fuzzy:
            if len(token) >= 5 and token.isalpha() and token.isascii() and token in self._tokens:
                by_length.setdefault(len(token), []).append(token)
        self._fuzzy = {length: sorted(group) for length, group in by_length.items()}

    def best(self, link: FoundLink, claimed: Sequence[Organization] = ()) -> Hit | None:
        """The best brand token in the link's host and "user@" part (one of an organisation the
        text names first, then the longest), or None. Ownership is the caller's to decide first."""
        host = link.host
        suffix = suffix_of(host)
        labels = host[: -len(suffix) - 1].split(".") if suffix and len(host) > len(suffix) else []
        where = ["subdomain"] * (len(labels) - 1) + ["name"] if labels else []
        if link.userinfo:
            extra = re.split(r"[.:@]", link.userinfo.lower())
            labels.extend(extra)
            where.extend(["userinfo"] * len(extra))
        hits: list[Hit] = []
        for label, place in zip(labels, where, strict=True):
            if not label:
                continue
            detail = "" if place == "name" else place
            if _CJK.search(label):
                label, detail = _pinyin_label(label), "chinese_name"
            else:
                latin = skeleton(label)
                if latin != label:
                    label, detail = latin, "homoglyph"
            if label.isascii():
                hits.extend(self._scan(label, detail))
                hits.extend(self._claimed(label, detail, claimed))
        if not hits:
            return None
        claimed_ids = {org.id for org in claimed}
        preferred = [hit for hit in hits if hit.ids & claimed_ids] or hits
        return max(preferred, key=lambda hit: (hit.score, hit.token))

    def _scan(self, label: str, detail: str) -> list[Hit]:
        hits: list[Hit] = []
        parts = [part for part in re.split(r"[-_]+", label) if part and part not in GENERIC_LABELS]
        pieces: list[str] = []
        for part in parts:
            pieces.append(part)
            runs = _RUNS.findall(part)
            if len(runs) > 1:
                pieces.extend(run for run in runs if run not in GENERIC_LABELS)
        joined = label.replace("-", "").replace("_", "")
        if len(parts) > 1 and joined not in pieces:
            pieces.append(joined)
        for piece in pieces:
            hits.extend(self._exact(piece, detail or "name", whole_part=piece in parts or piece == joined))
        variants: set[str] = set()
        for part in [*parts, joined]:
            if not part.isdigit() and sum(c.isdigit() for c in part) <= 2:
                for table in (_LEET, _LEET_I):
                    variants.add(part.translate(table))
            for pair, letter in _PAIRS:
                if pair in part:
                    variants.add(part.replace(pair, letter))
        variants -= {*pieces, *GENERIC_LABELS}
        for variant in variants:
            hits.extend(self._exact(variant, detail or "lookalike_chars", whole_part=True))
        for candidate in {*pieces, *variants}:
            if candidate.isalpha():
                hits.extend(self._near(candidate, detail or "edit"))
        return hits

    def _claimed(self, label: str, detail: str, claimed: Sequence[Organization]) -> list[Hit]:
        """Looser for an organisation the text names, where its abbreviation in a host is no
        coincidence: three letters at the start or end of a part with at least two more letters
        (abcvc, zgtaeboc; a single letter more is as often the brand's own variant), four or
        more anywhere in it."""
        hits: list[Hit] = []
        parts = [part for part in re.split(r"[-_0-9]+", label) if part and part not in GENERIC_LABELS]
        for org in claimed:
            for token in self._org_tokens.get(org.id, ()):
                if len(token) < 3 or not token.isalpha():
                    continue
                for part in parts:
                    if len(part) >= len(token) + (2 if len(token) == 3 else 1) and (
                            part.startswith(token) or part.endswith(token) or (len(token) >= 4 and token in part)):
                        hits.append(Hit(len(token), token, frozenset({org.id}), detail or "name"))
        return hits

    def _exact(self, piece: str, detail: str, whole_part: bool) -> list[Hit]:
        """Tokens in `piece` by the rules of their length (see the module's docstring)."""
        hits: list[Hit] = []
        found = self._tokens.get(piece)
        if found and (len(piece) > 2 or whole_part):
            hits.append(Hit(len(piece) + 0.5, piece, found, detail))
        if not piece.isalpha():
            return hits
        for length in range(4, min(7, len(piece) - 1) + 1):
            for token, rest in ((piece[:length], piece[length:]), (piece[-length:], piece[:-length])):
                found = self._tokens.get(token)
                if found and (token in self._loose or len(rest) >= 2):
                    hits.append(Hit(length, token, found, detail))
        for length in range(8, len(piece)):
            for start in range(len(piece) - length + 1):
                token = piece[start : start + length]
                found = self._tokens.get(token)
                if found:
                    hits.append(Hit(length, token, found, detail))
        return hits

    def _near(self, piece: str, detail: str) -> list[Hit]:
        """Domain labels and Latin names one edit (two from ten letters) from `piece`, or from
        its start or end."""
        hits: list[Hit] = []
        for length, group in self._fuzzy.items():
            limit = 1 if length < 10 else 2
            if abs(length - len(piece)) <= limit:
                windows = {piece}
            elif length >= 7 and len(piece) > length + limit:
                windows = {piece[:n] for n in range(length - 1, length + 2)} | {
                    piece[-n:] for n in range(length - 1, length + 2)}
            else:
                continue
            for window in windows:
                for token, distance, _ in process.extract(window, group, scorer=Levenshtein.distance,
                                                          score_cutoff=limit, limit=None):
                    if distance:
                        hits.append(Hit(length - distance, token, self._tokens[token], detail))
        return hits


def _add(tokens: dict[str, set[str]], token: str, org_id: str, min_length: int = 3) -> bool:
    if len(token) < min_length or token in GENERIC_LABELS or not token.isascii():
        return False
    tokens.setdefault(token, set()).add(org_id)
    return True


def _latin_names(org: Organization) -> set[str]:
    names: set[str] = set()
    for name in (org.name_en or "", org.name, *org.aliases):
        if _CJK.search(name):
            continue
        for piece in re.split(r"[/,;|]", name):
            folded = re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", piece).casefold())
            if folded:
                names.add(folded)
    return names


def _chinese_names(org: Organization) -> list[tuple[list[str], bool]]:
    """Pinyin syllables of the Chinese name (and of it without 中国) and of Chinese aliases;
    with True for the name itself."""
    found: list[tuple[list[str], bool]] = []
    for text, is_name in ((org.name, True), *((alias, False) for alias in org.aliases)):
        if not _CJK.search(text):
            continue
        inner = _PARENS.findall(text)
        for variant, variant_is_name in ((_PARENS.sub("", text), is_name), *((part, False) for part in inner)):
            chinese = "".join(_CJK.findall(variant))
            if len(chinese) < 2:
                continue
            syllables = [s for s in _pinyin(chinese) if s.isascii() and s.isalpha()]
            found.append((syllables, variant_is_name))
            if chinese.startswith("中国") and len(chinese) >= 5:
                found.append((syllables[2:], False))
    return found


def _pinyin(text: str) -> list[str]:
    """pypinyin's syllables of `text`. Imported here, on the first link judged, not at start-up:
    its phrase dictionary alone takes about 0.2 s to import (start-up is benchmarked)."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL)


@lru_cache(maxsize=4096)
def _pinyin_label(label: str) -> str:
    return "".join(_pinyin(label)).lower()


@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """Letters that look Latin read as the Latin ones (аlipay → alipay); CJK left alone."""
    if text.isascii():
        return text
    return "".join(_latin_char(char) for char in text)


@lru_cache(maxsize=2048)
def _latin_char(char: str) -> str:
    if char.isascii() or _CJK.match(char):
        return char
    stripped = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if stripped.isascii() and stripped:
        return stripped.lower()
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin"]) or []
    for entry in found:
        for glyph in entry.get("homoglyphs", ()):
            candidate = glyph.get("c", "")
            if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
                return candidate.lower()
    return char
