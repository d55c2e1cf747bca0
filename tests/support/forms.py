"""Reading a page's forms the way a browser submits them."""

from html.parser import HTMLParser
from typing import Any


class Forms(HTMLParser):
    """Every <form> of a page with the values a browser would submit unchanged (not what a
    <template> holds: a script's copy, never sent as it stands)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._textarea = None
        self._select = None
        self._in_template = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._in_template += 1
        if self._in_template:
            return
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind, name = a.get("type", "text"), a.get("name")
            if not name or kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.append((name, a.get("value", "on")))
                return
            self._form.append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]
        elif tag == "select":
            self._select = {"name": a.get("name"), "chosen": [], "first": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
            return
        if self._in_template:
            return
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            select = self._select
            chosen = select["chosen"] or ([select["first"]] if select["first"] is not None else [])
            self._form.extend((select["name"], value) for value in chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def form_data(response, marker: str = "version") -> dict[str, Any]:
    """The data of the page's form that has a field named `marker`, as a browser would post it."""
    assert response.status_code == 200, response.status_code
    parser = Forms()
    parser.feed(response.content.decode())
    for fields in parser.forms:
        if any(name == marker for name, _ in fields):
            return posted(fields)
    raise AssertionError(f"no form with a field named {marker}")


def form_with(response, name: str, value: str) -> dict[str, Any]:
    """The data of the page's form whose field `name` has `value`, as a browser would post it."""
    parser = Forms()
    parser.feed(response.content.decode())
    for fields in parser.forms:
        if (name, value) in fields:
            return posted(fields)
    raise AssertionError(f"no form with {name}={value}")


def posted(fields: list[tuple[str, str]]) -> dict[str, Any]:
    """Form fields as the test client posts them: one value, or the list of a repeated name."""
    data: dict[str, list[str]] = {}
    for key, value in fields:
        data.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in data.items()}
