"""Whose website is a link: an organisation's own, one imitating it, or neither?

Built once per registry snapshot (Knowledge.build) from the organisations' official domains
(Organization.domains, each from a cited source) and their names; immutable, pure.

Ownership. A host is an organisation's when it is one of its official domains or a subdomain
of one. An official domain listed below its registrable domain (ebank.cqcbank.com) gives the
organisation the whole registrable domain (cqcbank.com), unless another organisation lists
that registrable domain itself (asia.ccb.com does not give CCB Asia all of ccb.com). An
official domain that is itself a public suffix (gov.cn) owns only itself and its www.
Organisations' own domains are never look-alikes of one another: ownership is decided first.

Imitation. A host that is nobody's imitates an organisation when it carries one of the
organisation's brand tokens: which tokens, and how they may appear, is in
verifier.core.text.imitation. A host whose name is exactly an organisation's under a
long-established suffix (icbc.com beside icbc.com.cn) is no imitation: it is answered "cannot
confirm" (link_unverifiable).

Verdicts: see DomainIndex.judge; reason codes and risks are the constants below.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from registry.models import Organization
from verifier.core.text.imitation import BrandTokens, skeleton
from verifier.core.text.links import FoundLink, registrable_domain, suffix_of

if TYPE_CHECKING:
    from verifier.core.signals import Verdict

# Suffixes under which an organisation's name is registered by the organisation itself long
# before anyone else (see DomainIndex.brand_domain_owners).
ESTABLISHED_SUFFIXES = frozenset({"com", "cn", "com.cn", "net", "net.cn", "org", "org.cn", "hk", "com.hk"})

# Reason codes (messages.REASONS), verdicts and risks.
LINK_OFFICIAL = "link_official"
LINK_OTHER_ORG_OFFICIAL = "link_other_org_official"
LINK_IMITATES_ORG = "link_imitates_org"
LINK_IMITATES_ORG_NO_SITE = "link_imitates_org_no_site"
LINK_IP_HOST = "link_ip_host"
LINK_SHORTENER = "link_shortener"
LINK_UNRELATED = "link_unrelated"
LINK_UNVERIFIABLE = "link_unverifiable"
LINK_UNKNOWN = "link_unknown"
RISK_IMITATION = 80
RISK_IP_CLAIMED, RISK_IP = 70, 40
RISK_SHORTENER_CLAIMED, RISK_SHORTENER = 60, 20
RISK_UNRELATED = 35
RISK_UNVERIFIABLE = 20
RISK_OTHER_ORG = 10
RISK_UNKNOWN, RISK_UNKNOWN_FOREIGN_SCRIPT = 5, 10


@dataclass(frozen=True, slots=True)
class LinkFinding:
    link: FoundLink
    code: str  # a reason code (messages.REASONS)
    verdict: Verdict | None  # official, suspicious, or None: informational
    risk: int  # 0-100
    organization: Organization | None  # whose domain it is, whom it imitates, or whom the text names
    fields: dict[str, Any] = field(default_factory=dict)  # message fields: host, org, domains
    detail: str = ""  # for imitation, how: name, edit, lookalike_chars, homoglyph, chinese_name


class DomainIndex:
    """Official domains and brand tokens (verifier.core.text.imitation) of every organisation;
    see the module's docstring.

    Built the first time a link is judged, not with the knowledge snapshot: start-up (and a
    registry of 10,000 organisations) does not pay for the pinyin of every name until a text
    with a link arrives."""

    def __init__(self, organizations: Iterable[Organization] = ()) -> None:
        self._pending: tuple[Organization, ...] | None = tuple(organizations)

    def _ensure(self) -> None:
        if self._pending is not None:
            organizations, self._pending = self._pending, None
            self._build(organizations)

    def _build(self, organizations: tuple[Organization, ...]) -> None:
        self._orgs: dict[str, Organization] = {}
        covers: dict[str, set[str]] = {}  # domain → ids: it and its subdomains are theirs
        only: dict[str, set[str]] = {}  # host → ids: only this very host (gov.cn, www.gov.cn)
        deep: list[tuple[str, str]] = []  # (registrable, id) of domains listed below their registrable
        for org in organizations:
            self._orgs[org.id] = org
            for domain in org.domains:
                domain = domain.lower().strip(".")
                registrable = registrable_domain(domain)
                if registrable is None:
                    only.setdefault(domain, set()).add(org.id)
                    only.setdefault("www." + domain, set()).add(org.id)
                    continue
                covers.setdefault(domain, set()).add(org.id)
                if registrable != domain:
                    deep.append((registrable, org.id))
        extended: dict[str, set[str]] = {}
        for registrable, org_id in deep:
            if registrable not in covers:
                extended.setdefault(registrable, set()).add(org_id)
        for registrable, ids in extended.items():
            covers[registrable] = ids
        self._covers = {domain: frozenset(ids) for domain, ids in covers.items()}
        self._only = {host: frozenset(ids) for host, ids in only.items()}
        self._brands = BrandTokens(organizations)

    def __len__(self) -> int:
        self._ensure()
        return len(self._orgs)

    # -- ownership ---------------------------------------------------------------------------
    def owner(self, host: str) -> list[Organization]:
        """Organisations whose official domain `host` (or a registrable domain) is, or is a
        subdomain of; the most specific first."""
        self._ensure()
        host = host.lower().strip(".")
        ids: list[str] = []
        for org_id in sorted(self._only.get(host, ())):
            ids.append(org_id)
        labels = host.split(".")
        for start in range(len(labels) - 1):
            for org_id in sorted(self._covers.get(".".join(labels[start:]), ())):
                if org_id not in ids:
                    ids.append(org_id)
        return [self._orgs[org_id] for org_id in ids]

    # -- judging -----------------------------------------------------------------------------
    def judge(self, link: FoundLink, claimed: Sequence[Organization] = ()) -> LinkFinding:
        """What `link` is, for a text that names the organisations `claimed` (maybe none)."""
        self._ensure()
        from verifier.core.signals import Verdict  # here: verifier.core.signals imports verifier.core.knowledge

        named = claimed[0] if claimed else None
        if link.is_ip:
            if named is not None:
                return _finding(link, LINK_IP_HOST, Verdict.suspicious, RISK_IP_CLAIMED, named)
            return _finding(link, LINK_IP_HOST, None, RISK_IP, None)
        owners = self.owner(link.ascii_host or link.host)
        if owners:
            claimed_ids = {org.id for org in claimed}
            own = [org for org in owners if org.id in claimed_ids]
            if own or not claimed:
                return _finding(link, LINK_OFFICIAL, Verdict.official, 0, (own or owners)[0])
            return _finding(link, LINK_OTHER_ORG_OFFICIAL, None, RISK_OTHER_ORG, owners[0], claimed=named)
        brand_owners = self.brand_domain_owners(link)
        if brand_owners:
            claimed_ids = {org.id for org in claimed}
            if not claimed or brand_owners & claimed_ids:
                org = self._pick_org(brand_owners, claimed)
                return _finding(link, LINK_UNVERIFIABLE, None, RISK_UNVERIFIABLE, org)
        imitation = self.imitates(link, claimed)
        if imitation is not None:
            org, detail = imitation
            code = LINK_IMITATES_ORG if org.domains else LINK_IMITATES_ORG_NO_SITE
            return _finding(link, code, Verdict.suspicious, RISK_IMITATION, org, detail=detail)
        if link.is_shortener:
            if named is not None:
                return _finding(link, LINK_SHORTENER, Verdict.suspicious, RISK_SHORTENER_CLAIMED, named)
            return _finding(link, LINK_SHORTENER, None, RISK_SHORTENER, None)
        if named is not None:
            if named.domains:
                return _finding(link, LINK_UNRELATED, None, RISK_UNRELATED, named)
            return _finding(link, LINK_UNVERIFIABLE, None, RISK_UNVERIFIABLE, named)
        foreign = not link.host.isascii()
        return _finding(link, LINK_UNKNOWN, None, RISK_UNKNOWN_FOREIGN_SCRIPT if foreign else RISK_UNKNOWN, None)

    def brand_domain_owners(self, link: FoundLink) -> set[str]:
        """Ids of organisations with an official domain of the same name as the link's, or a
        hotline of that number, under a long-established suffix (apple.com for apple.com.cn,
        95508.com for CGB's 95508): probably the brand's own and missing from our list, since
        brands register their names under these first."""
        self._ensure()
        registrable = link.registrable
        suffix = suffix_of(registrable) if registrable else None
        if not registrable or suffix not in ESTABLISHED_SUFFIXES:
            return set()
        return set(self._brands.site_names.get(registrable[: -len(suffix) - 1], ()))

    def imitates(self, link: FoundLink, claimed: Sequence[Organization] = ()) -> tuple[Organization, str] | None:
        """(organisation, how) when the link's host imitates one that does not own it."""
        self._ensure()
        latin = skeleton(link.host)
        if latin != link.host:
            owners = self.owner(latin)
            if owners:
                return self._pick_org({org.id for org in owners}, claimed), "homoglyph"
        best = self._brands.best(link, claimed)
        if best is None:
            return None
        claimed_ids = {org.id for org in claimed}
        ids = set(best.ids & claimed_ids or best.ids)
        return self._pick_org(ids, claimed, best.token), best.detail

    def _pick_org(self, ids: set[str], claimed: Sequence[Organization], token: str = "") -> Organization:
        for org in claimed:
            if org.id in ids:
                return org
        labelled = self._brands.domain_labels.get(token, frozenset()) & ids
        return self._orgs[min(labelled or ids)]


def _finding(link: FoundLink, code: str, verdict: Verdict | None, risk: int, org: Organization | None,
             *, detail: str = "", claimed: Organization | None = None) -> LinkFinding:
    fields: dict[str, Any] = {"host": link.host}
    if org is not None:
        fields["org"] = org
        fields["domains"] = list(org.domains)
    if claimed is not None:
        fields["claimed"] = claimed
        fields["claimed_domains"] = list(claimed.domains)
    return LinkFinding(link, code, verdict, risk, org, fields, detail)
