"""The request mixes the benchmark sends, built deterministically from the shipped registry."""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

from bench.generate_store import reported_numbers
from registry.default import load_default_registry
from verifier.core.knowledge import official_key

FULLWIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


def _forms(number: str) -> list[str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    forms = [number, digits, digits.translate(FULLWIDTH), f"tel:{digits}", f"{digits}转3"]
    if len(digits) == 10 and digits.startswith("400"):
        forms += [f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"+86 {digits}"]
    elif len(digits) <= 6:
        forms += [f"{digits[:3]} {digits[3:]}", f"+86 {digits}"]
    return forms


def _lookalikes(digits: str, rng: random.Random) -> list[str]:
    i = rng.randrange(len(digits))
    swapped = digits[:i] + str((int(digits[i]) + 1) % 10) + digits[i + 1 :]
    return [swapped, digits + digits[-1], digits[:-1]]


def verify_queries(seed: int = 7) -> list[str]:
    """~2,000 distinct verify questions in the proportions a wallet app sends them."""
    rng = random.Random(seed)
    organizations = load_default_registry(official_key)
    official = [(org, number.number) for org in organizations for number in org.numbers if number.region == "CN"]
    rng.shuffle(official)
    queries: list[dict[str, str]] = []
    for org, number in official[:120]:
        queries += [{"number": form} for form in _forms(number)]
        queries.append({"number": number, "claimed_org": org.name, "context": "incoming_call"})
    for _, number in official[:120]:
        digits = "".join(ch for ch in number if ch.isdigit())
        queries += [{"number": lookalike} for lookalike in _lookalikes(digits, rng)]
    for _, number in [o for o in official if len(o[1]) <= 6][:40]:
        queries += [{"number": "+" + number}, {"number": "00" + number}]
    claims = ["百信银行", "工商银行", "支付宝", "中国银行客服", "招商银行信用卡中心"]
    for _ in range(700):
        mobile = rng.choice(["139", "138", "186", "150", "177", "170", "165"]) + f"{rng.randrange(10**8):08d}"
        query = {"number": mobile}
        if rng.random() < 0.2:
            query["claimed_org"] = rng.choice(claims)
            query["context"] = "incoming_call"
        queries.append(query)
    pool = reported_numbers(20261125)
    queries += [{"number": rng.choice(pool)} for _ in range(300)]
    queries += [{"number": bad} for bad in ("abc", "12", "+86 1380013800", "95", "call me", "0000", "+999 1")]
    return ["/api/v1/verify?" + urlencode(query) for query in queries]


def batch_bodies(count: int, size: int, seed: int) -> list[bytes]:
    """`count` batches of `size` distinct unknown mobiles and registry numbers."""
    rng = random.Random(seed)
    organizations = load_default_registry(official_key)
    official = [number.number for org in organizations for number in org.numbers if number.region == "CN"]
    bodies = []
    for _ in range(count):
        items = []
        for _ in range(size):
            if rng.random() < 0.1:
                items.append({"number": rng.choice(official)})
            else:
                items.append({"number": rng.choice(["139", "138", "186", "150"]) + f"{rng.randrange(10**8):08d}"})
        bodies.append(json.dumps({"items": items}).encode())
    return bodies
