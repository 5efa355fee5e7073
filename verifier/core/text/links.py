"""Finding links in a pasted message: URLs with or without a scheme, bare domains, IP hosts.

Pure (no I/O). A host counts only when its suffix is a real public suffix in the Public
Suffix List bundled with `publicsuffixlist` (no network), so ``a.txt``, ``12.50元`` or
``v1.2.3`` are not links. What each link means for the organisation a text names is
decided in verifier.core.text.domains.

Rules worth knowing:

- Width does not matter (ＩＣＢＣ．ｃｏｍ.ｃｎ is icbc.com.cn); an ideographic full stop between
  two ASCII letters or digits is read as a dot (icbc。com), a trick used to slip past filters.
- A bare domain may be glued to Chinese text (访问icbc-vip.cn解冻); trailing punctuation is
  not part of a link.
- E-mail addresses are not links: neither the address nor its domain is returned. Scam
  messages in Chinese steer people to web pages, apps, phone numbers and WeChat/QQ, almost
  never to e-mail; and a genuine notice's e-mail address is no web page to check.
- ``http://www.icbc.com.cn@evil.top/`` goes to evil.top: the host is what follows the
  ``@``; the text before it is kept as ``userinfo`` (it is checked for brands too).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from publicsuffixlist import PublicSuffixList

MAX_LINKS = 50

# URL shorteners. Selected from the "list" file of github.com/PeterDaveHello/url-shorteners
# (CC-BY-SA-4.0; the collection NextDNS and RethinkDNS use), keeping the Chinese services and
# the most common international ones; dwz.cn is Baidu's shortener (its API is documented at
# dwz.cn/console/apidoc/v3). A host on one of these, or a subdomain of one, is a shortener.
# Some belong to organisations (a.189.cn is China Telecom's, m.tb.cn Taobao's, 3.cn JD's):
# a shortener on an organisation's own registered domain counts as that organisation's.
URL_SHORTENERS: frozenset[str] = frozenset({
    # used in Chinese messages
    "t.cn", "dwz.cn", "url.cn", "suo.im", "suo.fyi", "3.cn", "m.tb.cn", "a.189.cn", "sourl.cn",
    "txul.cn", "u6v.cn", "urlify.cn", "datayi.cn", "ock.cn", "fal.cn", "iqiyi.cn", "985.so",
    "wf0.xin", "txdl.top",
    # international
    "bit.ly", "bitly.com", "j.mp", "tinyurl.com", "t.co", "t.ly", "goo.gl", "is.gd", "v.gd",
    "ow.ly", "buff.ly", "rebrand.ly", "cutt.ly", "rb.gy", "tiny.cc", "shorturl.at", "s.id",
    "dub.sh", "bl.ink", "qr.net", "ppt.cc", "reurl.cc", "lihi.cc", "x.gd", "surl.li", "tny.im",
})

# Registered top-level domains that are also common file extensions: a bare "readme.md" or
# "setup.py" is a file name. With a scheme, "www." or a path it is still a link.
FILE_LIKE_TLDS = frozenset({"md", "py", "sh", "zip", "mov", "pl", "rs", "ps"})



@cache
def _psl() -> PublicSuffixList:
    """The bundled Public Suffix List (unknown suffixes are not hosts), parsed when a text first
    holds something link-like: parsing it costs ~0.1 s, which a start-up need not pay."""
    return PublicSuffixList(accept_unknown=False)


_LETTER = "a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"  # ASCII, Latin with accents, Greek, Cyrillic
_LABEL = rf"[{_LETTER}](?:[{_LETTER}\-]{{0,61}}[{_LETTER}])?"
_TLD = r"(?:xn--[a-z0-9\-]{2,59}|[a-z][a-z0-9\-]{0,61}[a-z0-9]|[a-z])"
_PATH = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_STOP = "\\s<>\"'`{}|\\\\^，。、；：！？（）【】《》「」『』“”‘’…"

_SCHEME_URL = re.compile(
    rf"(?<![A-Za-z0-9])(?P<scheme>https?|ftp)://(?P<auth>[^{_STOP}/?#]+)(?P<rest>[/?#]{_PATH})?", re.I)
_IP_URL = re.compile(
    rf"(?<![A-Za-z0-9.\-_@/:])(?P<host>(?:{_OCTET}\.){{3}}{_OCTET})(?![0-9]|\.[0-9])"
    rf"(?P<port>:[0-9]{{1,5}})?(?P<rest>[/?#]{_PATH})?", re.I)
_BARE = re.compile(
    rf"(?<![{_LETTER}\-_.@\\])(?<!://)(?P<host>(?:{_LABEL}\.)+{_TLD})(?![{_LETTER}\-_@])"
    rf"(?P<port>:[0-9]{{1,5}})?(?P<rest>[/?#]{_PATH})?", re.I)
_HOST_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")  # letters or digits of any script, inner hyphens
_PORT = re.compile(r":([0-9]{1,5})$")  # at the end of host:port
_TRAILING = ".,;:!?'\"*~-_"
_IDEOGRAPHIC_STOPS = "\u3002\uff61"  # 。 and ｡ (．, the fullwidth full stop, is NFKC's already)


@dataclass(frozen=True, slots=True)
class FoundLink:
    text: str  # as written in the message
    start: int  # span in the original text
    end: int
    host: str  # lower case; punycode decoded to Unicode where possible
    ascii_host: str | None  # the same host in ASCII (punycode); None when it has no valid one
    registrable: str | None  # eTLD+1 (icbc.com.cn, alipay-kefu.cn); None for IP hosts
    is_ip: bool
    is_shortener: bool
    scheme: str | None = None  # "http", "https", "ftp"; None when written without one
    port: int | None = None
    userinfo: str | None = None  # what stood before an "@" in the address (a known trick)


def find_links(text: str, stop_after: int | None = None) -> list[FoundLink]:
    """Every link in `text`, in order, not overlapping, at most MAX_LINKS. With `stop_after`,
    the search stops as soon as more than that many are found (the caller refuses such a text:
    what it gets back then is only enough to tell). Exactly `find_links_plain`, with the text
    folded by str.translate (`_fold`) and the scheme pattern run only on a text with "://"."""
    return _find_links(text, stop_after, plain=False)


def find_links_plain(text: str, stop_after: int | None = None) -> list[FoundLink]:
    """`find_links` folding character by character and running every pattern: the plain path
    it must equal (tests/core/text/test_links_fold.py)."""
    return _find_links(text, stop_after, plain=True)


def _find_links(text: str, stop_after: int | None, plain: bool) -> list[FoundLink]:
    folded = _fold_plain(text) if plain else _fold(text)
    found: list[FoundLink] = []
    taken: list[tuple[int, int]] = []
    for pattern, make in ((_SCHEME_URL, _from_scheme), (_IP_URL, _from_ip), (_BARE, _from_bare)):
        if pattern is _SCHEME_URL and not plain and "://" not in folded:
            continue  # every match of it holds "://"
        for match in pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            link = make(text, folded, match)
            if link is not None:
                found.append(link)
                taken.append((match.start(), match.end()))  # a rejected match leaves the span free
                if stop_after is not None and len(found) > stop_after:
                    return found
    found.sort(key=lambda link: link.start)
    return found[:MAX_LINKS]


class _CharForms(dict[int, str]):
    """NFKC of each character when it is one character (else the character itself), by code
    point for str.translate; each distinct character normalised once. Bounded: past LIMIT,
    new characters are not kept."""

    LIMIT = 20_000

    def __missing__(self, code: int) -> str:
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char)
        form = normal if len(normal) == 1 and not char.isascii() else char
        if len(self) < self.LIMIT:
            self[code] = form
        return form


_CHAR_FORMS = _CharForms({ord(stop): stop for stop in _IDEOGRAPHIC_STOPS})  # stops: by their neighbours


def _fold(text: str) -> str:
    """Fullwidth and compatibility forms to plain ones, one character for one, so a span in
    the folded text is the same span in the original. `_fold_plain`, made with str.translate
    and a memo of each character's form (`_CHAR_FORMS`), the ideographic stops then read left
    to right as `_fold_plain` reads them (tests/core/text/test_links_fold.py)."""
    folded = text.translate(_CHAR_FORMS)
    dots = [index for index in (m.start() for m in _STOP_FOUND.finditer(text))
            if 0 < index < len(text) - 1 and _ascii_alnum(folded[index - 1]) and _ascii_alnum(text[index + 1])]
    if not dots:
        return folded
    chars = list(folded)
    for index in dots:  # what stood before a stop is never a stop made a dot: a dot is no letter
        chars[index] = "."
    return "".join(chars)


_STOP_FOUND = re.compile(f"[{_IDEOGRAPHIC_STOPS}]")


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _fold_plain(text: str) -> str:
    """Fullwidth and compatibility forms to plain ones, one character for one, so a span in
    the folded text is the same span in the original: character by character."""
    chars = list(text)
    for index, char in enumerate(chars):
        if char.isascii():
            continue
        if char in _IDEOGRAPHIC_STOPS:
            before = chars[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                chars[index] = "."
            continue
        normal = unicodedata.normalize("NFKC", char)
        if len(normal) == 1:
            chars[index] = normal
    return "".join(chars)


def _end_of(folded: str, start: int, end: int) -> int:
    """`end` without trailing punctuation, and without a closing bracket that opened outside."""
    while end > start:
        last = folded[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in ")]" and folded.count("(" if last == ")" else "[", start, end) < folded.count(last, start, end):
            end -= 1
        else:
            break
    return end


def _from_scheme(text: str, folded: str, match: re.Match[str]) -> FoundLink | None:
    auth, auth_start = match["auth"], match.start("auth")
    for cut in _cuts(auth):
        parsed = _authority(auth[:cut])
        if parsed is None:
            continue
        host, port, userinfo, is_ip = parsed
        # Text glued to the address (http://alipay-kefu.cn解冻) ends it there; otherwise the path follows.
        end = match.end() if cut == len(auth) else auth_start + cut
        return _link(text, match.start(), _end_of(folded, match.start(), end), host,
                     scheme=match["scheme"].lower(), port=port, userinfo=userinfo, is_ip=is_ip)
    return None


def _cuts(auth: str) -> list[int]:
    """Where the authority may end, longest first: its end, then where ASCII gives way to other
    characters, then inside a non-ASCII last label (http://工商银行.中国解冻)."""
    cuts = [len(auth)]
    for index in range(len(auth) - 1, 0, -1):
        if not auth[index].isascii() and auth[index - 1].isascii() and auth[index - 1].isalnum():
            cuts.append(index)
    dot = auth.rfind(".")
    if dot >= 0:
        cuts.extend(i for i in range(len(auth) - 1, dot + 1, -1) if not auth[i - 1].isascii() and i not in cuts)
    return cuts


def _authority(auth: str) -> tuple[str, int | None, str | None, bool] | None:
    """(host, port, userinfo, is_ip) of an authority, or None when it names no host."""
    userinfo, at, hostport = auth.rpartition("@")
    port: int | None = None
    if hostport.startswith("["):  # [IPv6]:port
        host, closing, tail = hostport[1:].partition("]")
        port_match = _PORT.fullmatch(tail) if tail else None
        if not closing or (tail and port_match is None):
            return None
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        return host, int(port_match[1]) if port_match else None, userinfo if at else None, True
    port_match = _PORT.search(hostport)
    host = hostport[: port_match.start()] if port_match else hostport
    if port_match:
        port = int(port_match[1])
    if _is_ipv4(host):
        return host, port, userinfo if at else None, True
    valid = _valid_host(host.rstrip("."))
    if valid is None:
        return None
    return valid, port, userinfo if at else None, False


def _from_ip(text: str, folded: str, match: re.Match[str]) -> FoundLink | None:
    end = _end_of(folded, match.start(), match.end())
    port = int(match["port"][1:]) if match["port"] else None
    return _link(text, match.start(), end, match["host"], port=port, is_ip=True)


def _from_bare(text: str, folded: str, match: re.Match[str]) -> FoundLink | None:
    host = _valid_host(match["host"].lower())
    if host is None:
        return None
    if not (host.startswith("www.") or match["rest"] or match["port"]):
        written_suffix = match["host"].rsplit(".", 1)[1]
        if written_suffix.lower() in FILE_LIKE_TLDS:
            return None  # readme.md, setup.py
        if len(written_suffix) > 1 and written_suffix[0].isupper() and written_suffix[1:].islower():
            return None  # "Mr.Wang", "No.Zhang": a capitalised word after a full stop, not a host
    end = _end_of(folded, match.start(), match.end())
    port = int(match["port"][1:]) if match["port"] else None
    return _link(text, match.start(), end, host, port=port)


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def _valid_host(host: str) -> str | None:
    """`host` in lower-case Unicode when it is a name under a real public suffix, else None."""
    host = unicode_host(host.lower())
    if not host or ".." in host or host.startswith(("-", ".")):
        return None
    labels = host.split(".")
    if not all(len(label) <= 63 and _HOST_LABEL.fullmatch(label) for label in labels):
        return None  # also http://***.***.cn: a masked address is no link
    if labels[-1].isdigit():
        return None
    if _psl().publicsuffix(host) is None or _psl().privatesuffix(host) is None:
        return None
    return host


@lru_cache(maxsize=4096)
def unicode_host(host: str) -> str:
    """Punycode labels (xn--…) decoded; a label that does not decode stays as written."""
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=4096)
def ascii_host(host: str) -> str | None:
    """The ASCII (punycode) form of a host; None when it has none."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def is_shortener(host: str) -> bool:
    labels = host.split(".")
    return any(".".join(labels[i:]) in URL_SHORTENERS for i in range(len(labels) - 1))


def registrable_domain(host: str) -> str | None:
    """eTLD+1 of `host` (www.icbc.com.cn → icbc.com.cn); None when `host` is itself a public suffix."""
    return _psl().privatesuffix(host)


def suffix_of(host: str) -> str | None:
    """The public suffix of `host` (com.cn, top, github.io); None when it has none."""
    return _psl().publicsuffix(host)


def _link(text: str, start: int, end: int, host: str, *, scheme: str | None = None, port: int | None = None,
          userinfo: str | None = None, is_ip: bool = False) -> FoundLink:
    host = host.lower()
    return FoundLink(
        text=text[start:end], start=start, end=end, host=host,
        ascii_host=host if is_ip else ascii_host(host),
        registrable=None if is_ip else _psl().privatesuffix(host),
        is_ip=is_ip, is_shortener=not is_ip and is_shortener(host),
        scheme=scheme, port=port, userinfo=userinfo,
    )
