"""Read the forms of a page as a browser would submit them, so a test can post a form back unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class HtmlForm:
    action: str
    method: str
    data: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def submission(self, press: str | None = None) -> dict[str, list[str]]:
        """Return what the form sends when its button named `press` (or an unnamed one) is pressed."""
        sent: dict[str, list[str]] = {}
        for name, value in [*self.data, *[button for button in self.buttons if button[0] == press][:1]]:
            sent.setdefault(name, []).append(value)
        return sent


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = HtmlForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            form.names.add(name)
            kind = a.get("type", "text").lower()
            if kind == "submit":
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data.append((name, a.get("value", "on")))
            elif kind not in ("file", "button", "reset", "image"):
                form.data.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            form.names.add(name)
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            form.names.add(name)
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.data.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def forms_of(html: str) -> list[HtmlForm]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field_name: str) -> HtmlForm:
    """Return the form of the page that has a control named `field_name`."""
    matching = [form for form in forms_of(html) if field_name in form.names]
    assert matching, f"no form on the page has a field named {field_name}"
    return matching[0]
