"""Local 96xxx codes: the home area of an organisation, and placing its bare local codes there.

A 96xxx code is allocated per city (0731-96511 is 长沙银行's, 028-96511 成都银行's), so a code a
source lists without its area code is valid nowhere on its own. ``place_local_codes`` (build
step 6) puts it in the organisation's home area, read from a city its name starts with
(``home_area_from_name``, from phonenumbers' geocoder data) or from the area code a source gives
with the same code; else it leaves the code out and says why.
"""

from __future__ import annotations

import re

from .config import LOCAL_CODE, NATIONAL_96, BuildError
from .drafts import Contribution, OrgDraft
from .parsing import Parsed, parse_number

# A province, or one of the five autonomous regions (the geocoder writes "广西桂林市" as well as
# "广西壮族自治区…").
_PROVINCE = re.compile(r"^(?P<province>[^省]+省|.+?自治区|广西|内蒙古|宁夏|新疆|西藏)")
_CITY_SUFFIX = re.compile(r"(市|地区|自治州|盟)$")


def _city_area_codes() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """phonenumbers' geocoder data inverted: city name -> area code ("长沙" -> "0731", from
    "湖南省长沙市、湘潭市、株州市" for +86 731), the geocoder's text for each, and the province
    names. Only exact area-code entries are read (86 + 10 / 2x / three digits); a city named under
    two area codes is left out (ambiguous)."""
    from phonenumbers.geodata import GEOCODE_DATA

    found: dict[str, set[str]] = {}
    described: dict[str, str] = {}
    provinces: set[str] = set()
    for prefix, names in GEOCODE_DATA.items():
        if not prefix.startswith("86") or "zh" not in names:
            continue
        area = prefix[2:]
        if not (re.fullmatch(r"10|2\d", area) or re.fullmatch(r"[3-9]\d\d", area)):
            continue
        text = names["zh"]
        described["0" + area] = text
        rest = text
        if match := _PROVINCE.match(text):
            provinces.add(re.sub(r"(省|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", match["province"]))
            rest = text[match.end():]
        for city in rest.split("、"):
            city = _CITY_SUFFIX.sub("", city.strip())
            if len(city) >= 2:
                found.setdefault(city, set()).add("0" + area)
    cities = {city: next(iter(codes)) for city, codes in found.items() if len(codes) == 1}
    return cities, described, frozenset(provinces)


CITY_AREA_CODES, AREA_DESCRIPTIONS, PROVINCES = _city_area_codes()


def home_area_from_name(name: str) -> tuple[str, str] | None:
    """The area code of the city an organisation's name starts with (长沙银行 -> 0731), and why.
    A name starting with a province (湖南银行, 云南省农村信用社, and 吉林银行: 吉林 is a province as
    well as a city) gives none: a provincial organisation has no single home city."""
    if any(name.startswith(p) for p in PROVINCES):
        return None
    matches = [city for city in CITY_AREA_CODES if name.startswith(city)]
    if not matches:
        return None
    city = max(matches, key=len)
    area = CITY_AREA_CODES[city]
    return area, f"the name names {city}: area code {area} ({AREA_DESCRIPTIONS[area]}, phonenumbers geocoder data)"


def split_local(digits: str) -> tuple[str, str] | None:
    """'073196511' -> ('0731', '96511'): an area code (010, 02x, else four digits) + a 96xxx code."""
    match = re.fullmatch(r"(0(?:10|2\d|[3-9]\d\d))(96\d{3,4})", digits)
    return (match[1], match[2]) if match else None


def is_bare_local(parsed: Parsed) -> bool:
    return (parsed.region == "CN" and not parsed.number.startswith("+") and LOCAL_CODE.fullmatch(parsed.national)
            is not None and parsed.national not in NATIONAL_96 and re.sub(r"\D", "", parsed.number) == parsed.national)


def place_local_codes(orgs: dict[str, OrgDraft], omitted: list[str]) -> None:
    """Step 6: each bare local 96xxx code is placed in its organisation's home area (its name
    names the city, or a source gives the same code with the area code for this organisation);
    else it is left out, with why, in `omitted`. Never valid everywhere."""
    for org in orgs.values():
        by_name = home_area_from_name(org.name)
        placed_areas: set[str] = set()
        for key, draft in list(org.numbers.items()):
            if not is_bare_local(draft.parsed):
                continue
            code = draft.parsed.national
            sourced = sorted({local[0] for d in org.numbers.values()
                              if (local := split_local(re.sub(r"\D", "", d.parsed.number))) and local[1] == code})
            if by_name:
                area, why = by_name
                if sourced and sourced != [area]:
                    raise BuildError(f"{org.id}: {code} placed in {area} by name, but sources give {sourced}")
            elif len(sourced) == 1:
                area = sourced[0]
                why = f"the sources give this organisation's {code} with area code {area}"
            else:
                del org.numbers[key]
                listed = "; ".join(f"{c.source_name}" for c in draft.contributions)
                omitted.append(f"{org.id}: {code} left out: a local 96xxx code listed without its area code "
                               f"({listed}), and the home area of {org.name} cannot be determined from its name "
                               f"or its sources"
                               + (f" (sources give several: {', '.join(sourced)})" if sourced else ""))
                continue
            del org.numbers[key]
            target = org.number(parse_number(f"{area}-{code}"))
            for contribution in draft.contributions:
                target.add(Contribution(
                    contribution.kind, contribution.confidence, target.parsed.number if target.contributions
                    else f"{area}-{code}", contribution.source_url,
                    f"{contribution.note} (listed without area code; placed in the home area: {why})",
                    contribution.label, contribution.source_name, contribution.date))
            target.extra_notes.extend(draft.extra_notes)
            target.variants.update(draft.variants)
            target.fallback_label = target.fallback_label or draft.fallback_label
            placed_areas.add(area)
        areas = placed_areas | {split_local(re.sub(r"\D", "", d.parsed.number))[0] for d in org.numbers.values()
                                if d.parsed.region == "CN" and split_local(re.sub(r"\D", "", d.parsed.number))}
        if by_name and placed_areas:
            org.home_area_code = by_name[0]
        elif len(areas) == 1 and placed_areas:
            org.home_area_code = next(iter(areas))
