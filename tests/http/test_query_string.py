"""read_query_string (the miss path of GET /api/v1/verify) reads a raw query string as
read_query reads the request's parsed query, or declines and leaves it to read_query."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote_plus

import pytest
from aiohttp.test_utils import make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.http.io import query_pairs, read_query, read_query_string
from verifier.http.problems import ProblemError
from verifier.schemas.answers import VerifyRequest

NAMES = st.sampled_from(["number", "region", "claimed_org", "context", "lang", "other", "Number", ""])
VALUES = st.one_of(
    st.from_regex(r"\+?[0-9 \-]{0,14}", fullmatch=True),
    st.sampled_from(["CN", "cn", "HK", "C", "CHN", "zh", "en", "fr", "sms", "incoming_call", "web", "bogus",
                     "工商银行", "百信银行客服", "x" * 100, "x" * 101, "", "%", "%E5", "%FF", "%2B86", "a&b", "="]),
    st.text(max_size=20),
)


def _query(pairs: list[tuple[str, str]], encode: bool) -> str:
    if encode:
        return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in pairs)
    return "&".join(f"{name}={value}" for name, value in pairs)


def _by_read_query(query: str) -> VerifyRequest | None:
    try:
        return read_query(make_mocked_request("GET", "/api/v1/verify?" + query), VerifyRequest)
    except ProblemError:
        return None


@settings(max_examples=1500, deadline=None)
@given(pairs=st.lists(st.tuples(NAMES, VALUES), min_size=0, max_size=5), encode=st.booleans())
def test_a_query_string_is_read_as_read_query_reads_it_or_left_to_it(pairs: list[tuple[str, str]], encode: bool) -> None:
    query = _query(pairs, encode)
    if any(c in query for c in "# \x00\r\n") or not query.isprintable():
        return  # not something a request line carries as it is
    plain = read_query_string(query, VerifyRequest)
    if plain is not None:
        assert plain == _by_read_query(query), query


WELL_FORMED = st.fixed_dictionaries(
    {"number": st.one_of(st.from_regex(r"\+?[0-9][0-9 \-]{3,14}", fullmatch=True), st.text(min_size=1, max_size=12))},
    optional={"region": st.sampled_from(["CN", "cn", "Hk", "GB", "C1"]),
              "claimed_org": st.one_of(st.sampled_from(["工商银行", "百信银行 客服", "ICBC+", "x" * 100]), st.text(max_size=12)),
              "context": st.sampled_from(["sms", "incoming_call", "outgoing_call", "web", "fax"]),
              "lang": st.sampled_from(["zh", "en", "EN"])})


@settings(max_examples=1500, deadline=None)
@given(values=WELL_FORMED, encode=st.booleans(), order=st.randoms())
def test_well_formed_questions_are_read_plainly_and_as_read_query_reads_them(values: dict[str, str], encode: bool,
                                                                            order) -> None:  # type: ignore[no-untyped-def]
    pairs = list(values.items())
    order.shuffle(pairs)
    query = _query(pairs, encode)
    if not encode and any(c in query for c in "%&=# \x00\r\n+") or not query.isprintable():
        return
    plain = read_query_string(query, VerifyRequest)
    expected = _by_read_query(query)
    if plain is not None:
        assert plain == expected, query
    if encode and expected is not None and "" not in values.values() and "\ufffd" not in query:
        assert plain is not None, query  # taken whenever it is well formed


@pytest.mark.parametrize("query", [
    "number=13612345678", "number=13612345678&lang=en", "number=%2B8613612345678&region=cn",
    "number=95588&claimed_org=%E5%B7%A5%E5%95%86%E9%93%B6%E8%A1%8C&context=incoming_call",
    "number=+86+136+1234+5678",
])
def test_the_usual_questions_are_read_plainly(query: str) -> None:
    plain = read_query_string(query, VerifyRequest)
    assert plain is not None and plain == _by_read_query(query)


@pytest.mark.parametrize("query", [
    "", "number=", "number=1&number=2", "number=1&bogus=2", "number=1&region=CHN", "number=1&context=fax",
    "number=1&lang=fr", "number=1&claimed_org=" + "x" * 101, "number=1&claimed_org=%FF", "region=CN",
])
def test_anything_doubtful_is_left_to_read_query(query: str) -> None:
    assert read_query_string(query, VerifyRequest) is None


@settings(max_examples=500, deadline=None)
@given(query=st.one_of(st.from_regex(r"number=[0-9]{1,30}", fullmatch=True),
                       st.from_regex(r"number=[0-9+ %A-F]{0,32}(&lang=en)?", fullmatch=True)))
def test_a_number_alone_is_read_as_the_model_reads_it(query: str) -> None:
    from verifier.http.io import number_only

    number = number_only(query)
    if number is not None:
        assert VerifyRequest(number=number) == read_query_string(query, VerifyRequest) == _by_read_query(query)
    assert (number is not None) == (read_query_string(query, VerifyRequest) is not None and "&" not in query)


@settings(max_examples=1500, deadline=None)
@given(value=VALUES, encode=st.booleans())
def test_any_number_alone_is_read_as_read_query_string_reads_it(value: str, encode: bool) -> None:
    from verifier.http.io import number_only

    query = _query([("number", value)], encode)
    if any(c in query for c in "# \x00\r\n") or not query.isprintable():
        return  # not something a request line carries as it is
    number, plain = number_only(query), read_query_string(query, VerifyRequest)
    if "&" not in query:
        assert (VerifyRequest(number=number) if number is not None else None) == plain, query
    else:
        assert number is None
    if number is not None:
        assert VerifyRequest(number=number) == _by_read_query(query), query


QUERY_TEXT = st.text(alphabet=st.sampled_from(list("&=+%number_claimed_orgEFb0123456789 ;\u00e9\u5de5\ufffd")), max_size=40)


@settings(max_examples=3000, deadline=None)
@given(query=st.one_of(QUERY_TEXT, st.lists(st.tuples(NAMES, VALUES)).map(lambda pairs: _query(pairs, True))))
def test_query_pairs_are_parse_qsl_keeping_blank_values(query: str) -> None:
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)  # and again, from the kept decodings
