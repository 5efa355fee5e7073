"""A tiny HTML tree on the standard library's html.parser: enough to assert on pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = None

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants (and self) by tag and exact attributes; `class_` matches one class."""
        wanted_class = attrs.pop("class_", None)
        found = []
        for element in self.iter():
            if tag is not None and element.tag != tag:
                continue
            if any(element.attrs.get(name.replace("_", "-")) != value for name, value in attrs.items()):
                continue
            if wanted_class is not None and wanted_class not in element.attrs.get("class", "").split():
                continue
            found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.find(id=element_id)

    @property
    def text(self) -> str:
        parts: list[str] = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())

    @property
    def raw_text(self) -> str:
        """The text as written (a textarea's value: only a first newline is dropped, like a browser)."""
        raw = "".join(child if isinstance(child, str) else child.raw_text for child in self.children)
        return raw[1:] if self.tag == "textarea" and raw.startswith("\n") else raw

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value if value is not None else "" for name, value in attrs}, parent=self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {n: v or "" for n, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def form_fields(form: Element) -> list[tuple[str, str]]:
    """What a browser would send for this form (without any submit button's value)."""
    fields: list[tuple[str, str]] = []
    for element in form.iter():
        name = element.get("name")
        if not name or element.tag not in ("input", "textarea", "select"):
            continue
        if element.tag == "input" and element.get("type") in ("checkbox", "radio") and "checked" not in element.attrs:
            continue
        if element.tag == "textarea":
            fields.append((name, element.raw_text))
        elif element.tag == "select":
            options = element.find_all("option")
            chosen = next((o for o in options if "selected" in o.attrs), options[0] if options else None)
            fields.append((name, chosen.get("value", "") if chosen else ""))
        else:
            fields.append((name, element.get("value", "")))
    return fields


def labelled_controls_missing_label(document: Element) -> list[str]:
    """Form controls (not hidden) without a <label for=…> pointing at them."""
    labels = {label.get("for") for label in document.find_all("label")}
    missing = []
    for element in document.iter():
        if element.tag not in ("input", "select", "textarea") or element.get("type") in ("hidden", "submit"):
            continue
        if element.get("id") not in labels:
            missing.append(f"<{element.tag} name={element.get('name')!r} id={element.get('id')!r}>")
    return missing
