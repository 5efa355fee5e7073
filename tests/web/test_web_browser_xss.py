"""Hostile text stays text, checked in headless Chromium against the real server process.

A corpus of classic XSS payloads goes into every free-text field through the product's own
ways in (the JSON API with an administrator's and a moderator's login, and the web forms):
report descriptions and claimed names, evidence URLs, decision notes, appeal statements and
contacts, organisation names, English names, aliases, number labels, source notes and source
URLs, the user names of moderators and administrators, and text typed into search and filter
fields (which the pages echo back). Then every page that shows each field is opened, and each
must: fire no dialog, leave `window.__xss` unset, contain no element the payload would have
created (inline scripts, images, frames, event-handler attributes, `javascript:` links), and
show the payload, verbatim, as text or as a form field's value: a field that is not rendered at
all fails the test too.

The browser contexts bypass the Content-Security-Policy, so escaping is tested on its own: with
the CSP on, Chromium would refuse an injected inline script even where escaping failed, and a
broken template would go unnoticed here (the CSP header has tests of its own, in tests/web/).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.servers import run_cli, running_server
from verifier.core.numbers.reading import NotANumber, normalise
from verifier.ops import screenshots

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a real Chromium and a real server process

# Each payload, were it ever parsed as HTML, would set window.__xss or open a dialog, naming
# itself: "TAG" is replaced by "<payload id>/<field>", so a failure says which field leaked.
CORPUS = {
    "script": "<script>window.__xss='TAG'</script>",
    "img-onerror": "<img src=x onerror=\"window.__xss='TAG'\">",
    "svg-onload": "<svg onload=alert('TAG')>",
    "js-url": "<a href=\"javascript:alert('TAG')\">javascript:alert('TAG')</a>",
    "quote-break": "\"><script>window.__xss='TAG'</script>",
    "attr-break": "' autofocus onfocus='window.__xss=\"TAG\"' x='",
    "close-tags": "</textarea></title><script>window.__xss='TAG'</script>",
    "template": "{{7*7}} ${window.__xss='TAG'} {% raw %} #{7*7}",
    "bidi-zero-width": "\u202e\u200b<img src=x onerror=alert('TAG')>\u2066\u200d",
    "iframe-srcdoc": "<iframe srcdoc=\"<script>parent.__xss='TAG'</script>\"></iframe>",
}
IDS = list(CORPUS)

# The user names are hostile too (the CLI takes any name): they show in the console's
# navigation, in "decided by" lines and in the audit log.
ADMIN = "\"><img src=x onerror=alert('admin-name')>"
MODERATOR = "<svg onload=alert('moderator-name')>"
PASSWORD = "a long xss-test password"
EVIDENCE = "https://example.org/x?a=${alert(1)}&b={{7*7}}#javascript:alert(1)"  # an http(s) URL: no <>"'

# Everything the payloads could have made; the templates themselves have one script
# (/static/app.js), inline SVG icons without handlers, and no img, iframe or object at all.
INJECTED = """() => {
  const found = [];
  for (const s of document.scripts) if (s.getAttribute('src') !== '/static/app.js') found.push(s.outerHTML);
  for (const el of document.querySelectorAll('img, iframe, frame, object, embed, base, meta[http-equiv]'))
    found.push(el.outerHTML);
  for (const el of document.querySelectorAll('*')) for (const a of el.attributes) {
    const url = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(a.name);
    if (/^on/i.test(a.name) || a.name === 'srcdoc' || (url && /^\\s*javascript:/i.test(a.value)))
      found.push(el.tagName + ' ' + a.name + '=' + a.value);
  }
  return found.map(s => s.slice(0, 160));
}"""
# What a person can read on the page: its text (closed <details> included), its title, and what
# its form fields, suggestion lists and links hold.
SHOWN = """() => {
  const parts = [document.title, document.body.innerText];
  for (const d of document.querySelectorAll('details')) parts.push(d.textContent);
  for (const el of document.querySelectorAll('input, textarea, option')) parts.push(el.value);
  for (const a of document.querySelectorAll('a[href]')) parts.push(a.getAttribute('href'));
  return parts.join('\\n');
}"""
# Let handlers, autofocus and toggle events of anything injected run before looking.
SETTLE = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"


def hostile(pid: str, field: str) -> str:
    return CORPUS[pid].replace("TAG", f"{pid}/{field}")


def in_json(text: str) -> str:
    """How a string shows inside the audit log's JSON."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


@dataclass
class World:
    """What one payload was put into: an organisation with one official number, two reports of
    that number (one approved with a note, one pending) and two appeals (one upheld with a note,
    one pending)."""

    pid: str
    org_id: str
    number: str
    approved: int = 0
    pending: int = 0
    upheld: int = 0
    open_appeal: int = 0

    def text(self, field: str) -> str:
        return hostile(self.pid, field)

    @property
    def source_url(self) -> str:
        return f"https://example.org/{self.pid}?x=\"><script>window.__xss='{self.pid}/url'</script>"


@dataclass
class Seeded:
    base: str
    worlds: dict[str, World] = field(default_factory=dict)


@dataclass
class Visitor:
    """One browser page that records every dialog and checks each page it opens."""

    page: Any
    base: str
    dialogs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str, shows: Iterable[str]) -> None:
        self.dialogs.clear()
        self.page.goto(self.base + path)
        self.check(path, shows)

    def submit(self, form: str, values: dict[str, str], where: str, shows: Iterable[str]) -> None:
        """Fill in a form on the current page, send it, and check the page that answers."""
        for selector, value in values.items():
            self.page.fill(selector, value)
        self.dialogs.clear()
        with self.page.expect_navigation():
            self.page.click(f"{form} button[type=submit]")
        self.check(where, shows)

    def check(self, where: str, shows: Iterable[str]) -> None:
        """Nothing ran, nothing was injected, and every one of `shows` is on the page as text."""
        page = self.page
        page.evaluate(SETTLE)
        problems = []
        if self.dialogs:
            problems.append(f"payloads opened dialogs: {self.dialogs}")
        marker = page.evaluate("() => window.__xss")
        if marker is not None:
            problems.append(f"a payload ran: window.__xss = {marker!r}")
        injected = page.evaluate(INJECTED)
        if injected:
            problems.append(f"the page holds injected markup: {injected}")
        shown = page.evaluate(SHOWN)
        missing = [text for text in shows if text not in shown]
        if missing:
            problems.append(f"not shown verbatim: {missing}")
        assert not problems, f"{where}:\n" + "\n".join(problems)


# -- fixtures ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module, not session, scope: Playwright's sync API keeps an event loop running in this thread
    while it is open, so it must be closed before the next module's asyncio tests start."""
    if not Path(screenshots.CHROMIUM).exists():
        pytest.fail(f"{screenshots.CHROMIUM} is missing: run `make test`, which installs Chromium (make system-deps).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = screenshots.launch(playwright)
        yield chromium
        chromium.close()


def api(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:2000]!r}") from None
    return json.loads(raw) if raw else None


def log_in(base: str, username: str) -> str:
    return str(api(base, "POST", "/api/v1/auth/login", {"username": username, "password": PASSWORD})["token"])


def seed_world(base: str, world: World, admin: str, moderator: str) -> None:
    w = world.text
    api(base, "POST", "/api/v1/admin/organizations", token=admin, body={
        "id": world.org_id, "name": w("name"), "name_en": w("name_en"), "aliases": [w("alias")],
        "category": "bank", "domains": [],
        "numbers": [{"number": world.number, "region": "CN", "channel": "hotline", "label": w("label"),
                     "source_url": world.source_url, "source_note": w("source_note"),
                     "verified_at": "2026-01-02", "confidence": "official_page"}]})
    report = {"number": world.number, "category": "fake_customer_service", "channel": "incoming_call"}
    world.approved = api(base, "POST", "/api/v1/reports", {
        **report, "claimed_org": w("claimed"), "description": w("description"), "evidence_url": EVIDENCE})["id"]
    api(base, "POST", f"/api/v1/moderation/reports/{world.approved}/decision", token=moderator,
        body={"decision": "approve", "note": w("note")})
    world.pending = api(base, "POST", "/api/v1/reports", {
        **report, "claimed_org": w("claimed2"), "description": w("description2")})["id"]
    world.upheld = api(base, "POST", "/api/v1/appeals", {
        "number": world.number, "statement": w("statement"), "contact": w("contact")})["id"]
    api(base, "POST", f"/api/v1/moderation/appeals/{world.upheld}/decision", token=moderator,
        body={"decision": "uphold", "note": w("appeal_note")})
    world.open_appeal = api(base, "POST", "/api/v1/appeals", {
        "number": world.number, "statement": w("statement2"), "contact": w("contact2")})["id"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    database = tmp_path_factory.mktemp("browser-xss") / "verifier.sqlite3"
    for name, role in ((ADMIN, "admin"), (MODERATOR, "moderator")):
        added = run_cli("users", "add", name, "--role", role, "--password-stdin", "--database", str(database),
                        input=PASSWORD + "\n")
        assert added.returncode == 0, added.stderr
    limits = {"VERIFIER_REPORTS_PER_ADDRESS_PER_HOUR": "1000", "VERIFIER_REPORTS_PER_REPORTER_PER_HOUR": "1000",
              "VERIFIER_ANONYMOUS_REQUESTS_PER_MINUTE": "10000",
              "VERIFIER_LOG_LEVEL": "WARNING"}  # no access lines: nothing reads the pipe they would fill
    with running_server(database, env=limits) as base:
        seeded = Seeded(base)
        admin, moderator = log_in(base, ADMIN), log_in(base, MODERATOR)
        for index, pid in enumerate(IDS):
            world = World(pid, org_id=f"xss-{index}", number=f"400666{index:04d}")
            seed_world(base, world, admin, moderator)
            seeded.worlds[pid] = world
        yield seeded


@pytest.fixture(scope="module")
def public(browser: Any, seeded: Seeded) -> Iterator[Visitor]:
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    yield Visitor(context.new_page(), seeded.base)
    context.close()


@pytest.fixture(scope="module")
def console(browser: Any, seeded: Seeded) -> Iterator[Visitor]:
    """One logged-in administrator (who may open every console page) for all the console checks."""
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    visitor = Visitor(context.new_page(), seeded.base)
    screenshots.log_in(visitor.page, seeded.base, ADMIN, PASSWORD)
    yield visitor
    context.close()


# -- the tests -----------------------------------------------------------------------------------------
def every(seeded: Seeded, *fields: str) -> list[str]:
    """The given fields' texts of every payload."""
    return [world.text(name) for world in seeded.worlds.values() for name in fields]


@pytest.mark.parametrize("pid", IDS)
def test_xss_in_reports_decision_notes_and_appeals_renders_as_text_on_the_report_pages(
        pid: str, seeded: Seeded, console: Visitor) -> None:
    world = seeded.worlds[pid]
    w = world.text
    console.visit(f"/moderation/reports/{world.approved}", [
        w("description"), w("claimed"), EVIDENCE, w("note"), MODERATOR,  # this report, decided
        w("description2"), w("claimed2"),  # the number's other report, in its history
        w("statement"), w("statement2"),  # the number's appeals
        w("name")])  # whose number it is (the verdict beside the report)
    console.visit(f"/moderation/reports/{world.pending}", [
        w("description2"), w("claimed2"), w("description"), w("claimed"), w("note"), MODERATOR])


@pytest.mark.parametrize("pid", IDS)
def test_xss_in_organisation_fields_renders_as_text_on_every_organisation_page(
        pid: str, seeded: Seeded, public: Visitor, console: Visitor) -> None:
    world = seeded.worlds[pid]
    w = world.text
    names = [w("name"), w("name_en"), w("alias")]
    sources = [w("label"), w("source_note"), world.source_url]
    shown = [w("label"), world.source_url]  # the build notes (source_note) stay in the console
    public.visit(f"/org/{world.org_id}?lang=zh", names + shown)
    public.visit(f"/org/{world.org_id}?lang=en", names + shown)
    public.visit(f"/?lang=zh&q={world.number}", [w("name")] + shown)  # the organisation's own number
    public.visit(f"/?lang=zh&q=13700001234&org={quote(w('alias'))}", [w("name")] + shown)  # said to be them
    assert w("name") in public.page.inner_text(".reasons"), "the reasons name the organisation claimed"
    text = f"{w('alias')}：请致电 13700001234 或 13700001235"  # a pasted text (two numbers: never read as one)
    public.visit("/?" + urlencode({"lang": "zh", "q": text}), [w("name")] + shown)
    assert w("name") in public.page.inner_text(".text-result .verdict-org"), "a text names who it mentions"

    console.visit(f"/moderation/registry/{world.org_id}", names + sources)
    # a refused edit shows what was typed again; so does a refused number
    console.submit(f"form[action='/moderation/registry/{world.org_id}']",
                   {"#org-name": w("typed_name"), "#org-aliases": w("typed_alias"), "#org-domains": "not a domain"},
                   "organisation edit (refused)", [w("name"), w("typed_name"), w("typed_alias")])
    console.submit(f"form[action='/moderation/registry/{world.org_id}/numbers']",
                   {"#add-number": "abc", "#add-label": w("typed_label"), "#add-source_note": w("typed_source_note")},
                   "number add (refused)", [w("name"), w("typed_label"), w("typed_source_note")] + sources)


@pytest.mark.parametrize("pid", IDS)
def test_xss_typed_into_forms_and_search_fields_is_shown_back_as_text(
        pid: str, seeded: Seeded, public: Visitor, console: Visitor) -> None:
    world = seeded.worlds[pid]
    w = world.text
    public.visit("/?" + urlencode({"lang": "zh", "q": w("q"), "org": w("org")}), [w("q"), w("org")])
    public.visit("/?" + urlencode({"lang": "zh", "q": "13700001234 " + w("text"), "org": w("org")}),
                 [w("text"), w("org")])  # a text with a number in it
    public.visit("/orgs?" + urlencode({"lang": "zh", "q": w("alias")}), [w("alias"), w("name")])

    public.visit("/report?" + urlencode({"lang": "zh", "number": w("number"), "org": w("org")}),
                 [w("number"), w("org")])
    public.submit("form.stacked", {"#description": w("typed_description"), "#claimed_org": w("typed_claimed")},
                  "/report (refused: not a number)", [w("number"), w("typed_description"), w("typed_claimed")])
    assert public.page.is_visible(".error-summary")
    public.visit("/appeal?" + urlencode({"lang": "zh", "number": w("number")}), [w("number")])
    public.submit("form.stacked", {"#statement": w("typed_statement"), "#contact": w("typed_contact")},
                  "/appeal (refused: not a number)", [w("number"), w("typed_statement"), w("typed_contact")])
    assert public.page.is_visible(".error-summary")

    filters = {"actor": w("actor")[:64], "action": w("action")[:64], "target_type": w("type")[:64],
               "target_id": w("target")}
    console.visit("/moderation/audit?" + urlencode(filters), list(filters.values()))
    console.visit("/moderation/registry?" + urlencode({"q": w("name_en")}), [w("name_en"), w("name")])
    console.submit("form.stacked[action='/moderation/registry']",
                   {"#new-id": world.org_id, "#new-name": w("typed_new_name"), "#new-aliases": w("typed_new_alias")},
                   "organisation create (refused: the id is taken)", [w("typed_new_name"), w("typed_new_alias")])
    console.visit("/moderation?" + urlencode({"number": w("number")}), [w("number")])
    # the error page quotes the part of a number it could not read (a decision on every report of it)
    number = "139" + w("decide_number")
    with pytest.raises(NotANumber) as unreadable:
        normalise(number, "CN")
    console.dialogs.clear()
    with console.page.expect_navigation():
        console.page.evaluate(POST_NUMBER_DECISION, number)
    console.check("/moderation/numbers/decision (refused)", [str(unreadable.value)])


POST_NUMBER_DECISION = """(number) => {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/moderation/numbers/decision';
  const token = document.querySelector('form.logout input[name=csrf_token]').value;
  for (const [name, value] of [['csrf_token', token], ['decision', 'approve'], ['number', number]]) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


def test_xss_in_reports_notes_appeals_and_user_names_renders_as_text_in_the_console_lists(
        seeded: Seeded, console: Visitor) -> None:
    console.visit("/moderation", every(seeded, "description2", "claimed2") + [ADMIN])  # ADMIN: who is logged in
    console.visit("/moderation?status=approved", every(seeded, "description", "claimed", "note") + [MODERATOR])
    console.visit("/moderation/appeals", every(seeded, "statement2", "contact2"))
    console.visit("/moderation/appeals?status=all", every(
        seeded, "statement", "contact", "appeal_note", "statement2", "contact2") + [MODERATOR])


def test_xss_in_every_field_renders_as_text_in_the_audit_log(seeded: Seeded, console: Visitor) -> None:
    console.visit("/moderation/audit?" + urlencode({"actor": MODERATOR}),
                  [MODERATOR] + [in_json(text) for text in every(seeded, "note", "appeal_note")])
    console.visit("/moderation/audit?" + urlencode({"actor": ADMIN, "action": "registry.organization.create"}),
                  [ADMIN] + [in_json(text) for text in every(seeded, "name", "name_en")])
    console.visit("/moderation/audit?" + urlencode({"actor": ADMIN, "action": "registry.official_number.create"}),
                  [in_json(text) for text in every(seeded, "label", "source_note")]
                  + [in_json(world.source_url) for world in seeded.worlds.values()])
    console.visit("/moderation/audit?action=user.add", [ADMIN, MODERATOR])


def test_xss_in_organisation_fields_renders_as_text_in_the_public_and_admin_lists(
        seeded: Seeded, public: Visitor, console: Visitor) -> None:
    public.visit("/orgs?lang=zh", every(seeded, "name", "alias"))
    public.visit("/orgs?lang=en", every(seeded, "name", "name_en", "alias"))
    public.visit("/?lang=zh", every(seeded, "name", "alias"))  # the "who did they say they were?" suggestions
    public.visit("/report?lang=en", every(seeded, "name", "name_en", "alias"))
    console.visit("/moderation/registry", every(seeded, "name"))


def test_a_hostile_user_name_typed_into_a_failed_login_is_shown_back_as_text(seeded: Seeded,
                                                                              public: Visitor) -> None:
    public.visit("/moderation/login", [])
    public.submit("form.stacked", {"#username": MODERATOR, "#password": "not the password at all"},
                  "/moderation/login (refused)", [MODERATOR])
    assert public.page.is_visible("#login-error")
