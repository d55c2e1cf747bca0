"""Which fields of a page a screen reader could not name: every input, select and textarea a user
fills in needs a <label for> (or to sit inside a <label>, or an aria-label) with some text."""

from html.parser import HTMLParser

FILLED_IN = {"input", "select", "textarea"}
NOT_FILLED_IN = {"hidden", "submit", "button", "reset", "image"}


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[dict] = []  # {"id", "name", "named": bool}
        self.label_text: dict[str, str] = {}  # id -> the text of its label(s)
        self._labels: list[dict] = []  # open <label>s: {"for", "text", "wraps": [field...]}
        self.in_template = 0
        self.template_fields: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if tag == "label":
            self._labels.append({"for": a.get("for"), "text": "", "wraps": []})
        if tag in FILLED_IN and (tag != "input" or a.get("type", "text") not in NOT_FILLED_IN):
            field = {"id": a.get("id"), "name": a.get("name"), "named": bool((a.get("aria-label") or "").strip())}
            (self.template_fields if self.in_template else self.fields).append(field)
            if self._labels:
                self._labels[-1]["wraps"].append(field)

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        if tag == "label" and self._labels:
            label = self._labels.pop()
            text = " ".join(label["text"].split())
            if label["for"]:
                self.label_text[label["for"]] = f"{self.label_text.get(label['for'], '')} {text}".strip()
            for field in label["wraps"]:
                field["named"] = field["named"] or bool(text)
            if self._labels:  # a label inside a label: its text is the outer one's too
                self._labels[-1]["text"] += " " + label["text"]

    def handle_data(self, data):
        for label in self._labels:
            label["text"] += data


def read(html: str) -> _Labels:
    parser = _Labels()
    parser.feed(html)
    return parser


def unnamed_fields(html: str, *, in_templates: bool = True) -> list[str]:
    """The names of the fields with no accessible name (those a <template> holds too: a script copies them)."""
    parser = read(html)
    fields = parser.fields + (parser.template_fields if in_templates else [])
    return [field["name"] or field["id"] or "?" for field in fields
            if not (field["named"] or parser.label_text.get(field["id"] or ""))]


def label_for(html: str, field_id: str) -> str:
    """The text of the label(s) pointing at that id ("" when none)."""
    return read(html).label_text.get(field_id, "")
