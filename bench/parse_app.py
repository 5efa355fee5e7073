"""A reference point: a plain handler that parses with phonenumbers and returns a pydantic model."""

from __future__ import annotations

import sys

import phonenumbers
from aiohttp import web
from pydantic import BaseModel

from verifier.ops.serving import run


class Parsed(BaseModel):
    input: str
    e164: str | None
    valid: bool
    type: int


async def parse(request: web.Request) -> web.Response:
    raw = request.query.get("number", "")
    try:
        number = phonenumbers.parse(raw, "CN")
        body = Parsed(input=raw, e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                      valid=phonenumbers.is_valid_number(number), type=phonenumbers.number_type(number))
    except phonenumbers.NumberParseException:
        body = Parsed(input=raw, e164=None, valid=False, type=-1)
    return web.Response(body=body.model_dump_json(), content_type="application/json")


def main() -> None:
    app = web.Application()
    app.router.add_get("/api/v1/verify", parse)
    run(app, host="127.0.0.1", port=int(sys.argv[1]))


if __name__ == "__main__":
    main()
