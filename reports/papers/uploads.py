"""Make an uploaded PDF appendix inert before it is stored: it is merged into, and attached to, a paper that
councillors open, so it may show pages and follow web links, never run anything.

Removed: launch, JavaScript and other actions that open files, submit data or play media (on opening, on
pages, in links, form fields and bookmarks), document JavaScript, embedded files, file-attachment and media
annotations, XFA forms. Kept: web (http, https, mailto) links and links within the document.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

SAFE_ACTIONS = {"/URI", "/GoTo", "/Named"}
WEB_SCHEMES = ("http://", "https://", "mailto:")
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}


def _resolve(value):
    return value.get_object() if value is not None else None


def _safe_action(action) -> bool:
    """Return whether an action (and every action chained after it) only shows or links."""
    action = _resolve(action)
    if not isinstance(action, DictionaryObject):
        return True  # a destination, not an action
    kind = action.get("/S")
    if kind not in SAFE_ACTIONS:
        return False
    if kind == "/URI" and not str(_resolve(action.get("/URI")) or "").lower().startswith(WEB_SCHEMES):
        return False
    following = _resolve(action.get("/Next"))
    chain = following if isinstance(following, ArrayObject) else [following] if following else []
    return all(_safe_action(item) for item in chain)


def make_inert(data: bytes) -> tuple[bytes, list[str]]:
    """Return the PDF without active content, and what was removed; the same bytes if there was none."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    removed: list[str] = []

    def drop(container: DictionaryObject, key: str, what: str) -> None:
        if key in container:
            del container[NameObject(key)]
            removed.append(what)

    root = writer.root_object
    open_action = root.get("/OpenAction")
    if open_action is not None and not _safe_action(open_action):
        drop(root, "/OpenAction", "an action run on opening")
    drop(root, "/AA", "document actions")
    names = _resolve(root.get("/Names"))
    if isinstance(names, DictionaryObject):
        drop(names, "/JavaScript", "document JavaScript")
        drop(names, "/EmbeddedFiles", "embedded files")
    form = _resolve(root.get("/AcroForm"))
    if isinstance(form, DictionaryObject):
        drop(form, "/XFA", "an XFA form")
        fields, seen = list(_resolve(form.get("/Fields")) or []), set()
        while fields:
            field = _resolve(fields.pop())
            if isinstance(field, DictionaryObject) and id(field) not in seen:
                seen.add(id(field))
                drop(field, "/AA", "form field actions")
                fields.extend(_resolve(field.get("/Kids")) or [])
    for page in writer.pages:
        drop(page, "/AA", "page actions")
        annotations = _resolve(page.get("/Annots"))
        if not annotations:
            continue
        kept = ArrayObject()
        for reference in annotations:
            annotation = _resolve(reference)
            if not isinstance(annotation, DictionaryObject):
                continue
            if annotation.get("/Subtype") in ACTIVE_ANNOTATIONS:
                removed.append(f"a {str(annotation['/Subtype'])[1:]} annotation")
                continue
            drop(annotation, "/AA", "annotation actions")
            if "/A" in annotation and not _safe_action(annotation["/A"]):
                removed.append(
                    f"a link that runs a {str(_resolve(annotation['/A']).get('/S', '/action'))[1:]} action"
                )
                continue
            kept.append(reference)
        page[NameObject("/Annots")] = kept
    outline = _resolve(root.get("/Outlines"))
    items, seen = [_resolve(outline.get("/First"))] if isinstance(outline, DictionaryObject) else [], set()
    while items:
        item = items.pop()
        if not isinstance(item, DictionaryObject) or id(item) in seen:  # a hostile outline may loop
            continue
        seen.add(id(item))
        if "/A" in item and not _safe_action(item["/A"]):
            drop(item, "/A", "a bookmark action")
        items.extend(_resolve(item.get(key)) for key in ("/First", "/Next") if key in item)
    if not removed:
        return data, []
    # What was cut off is still in the file's object table until the orphans are dropped.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), removed
