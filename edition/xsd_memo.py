"""XML Schema validation with :mod:`xmlschema` that checks a repeated subtree once.

xmlschema costs about 70 us per element, and an edition file repeats much of
itself (the same ``<persName ref="#zhou">Zhou Enlai</persName>`` in a hundred
paragraphs) and of the files before it (header parts, register entries).
:class:`SubtreeMemo` still has xmlschema validate the document, but lets it
leave out an element whose verdict is already known:

* *removal*: a child matched by a repeatable wildcard (the edition schema's
  phrase content) is removed from a private copy of the tree when an
  identical child was met before, in this document or in a valid one;
* *skipping*: xmlschema's ``validation_hook`` skips an element identical to
  one checked before; its parent still matches it against its content model,
  only the element's own check (attributes, content, descendants) is left out.

Why a verdict can be reused.  Under the schema conditions of
:func:`_reusable` (no identity constraint, type alternative or assertion,
every element wildcard strict, no element content of type ID or IDREF) and
the document conditions of :meth:`_Run._pins` (every element in the schema's
namespaces, no ``xsi:`` attribute), xmlschema checks every element against
one of the schema's element declarations, and the outcome of checking element
*E* against declaration *D* depends only on *D*, on *E*'s subtree (tag,
attributes, text, children and the tails inside it), on the namespaces in
scope (only for QName and NOTATION values) and on the document's table of
``xs:ID`` values.  A check's key is a BLAKE2b digest (192 bits) of *D*'s
identity, *E*'s namespace scope when it matters, and ``etree.tostring(E)``.
An element without children whose declaration has mixed content and no
fixed value is keyed by its tag and attributes alone: XML Schema puts no
constraint on the character data of mixed content but a fixed value and an
assertion (excluded), so such elements differing only in text share a check.
The ID table is handled by pinning: an element with an ID-typed attribute
whose value occurs twice in the document, or with an IDREF-typed attribute,
is never left out, nor is any of its ancestors; a value that occurs once
cannot clash, so leaving out the subtree that holds it changes no other check.

Why removal is sound.  It is done only below an element all of whose
declarations have the content "any number of one strict wildcard" (no
assertion, fixed value, open content or ``notQName``), for a child that
wildcard matches and that has a global declaration: such a child is always
checked against that global declaration, whatever its parent; removing it
keeps the parent's content valid; its tail text goes to what precedes it, so
the parent keeps its character data.

When the keys are trusted.  ``removed_by`` holds keys of wildcard children as
they stand in the original tree, ``checked`` keys of elements as xmlschema
meets them in the reduced copy; a later identical child is removed, a later
identical element skipped.  If the pass over the copy reports no error, by
induction on subtree size every key in both sets names a valid check (an
element xmlschema met was checked in full, except for smaller parts that are
known valid; a wildcard child is checked wherever its parent is, and what was
removed from it is smaller and known valid), so the document is valid.  If
the pass reports any error, the original tree is validated again, leaving out
only elements whose check an earlier error-free pass proved valid (such a
check reports nothing wherever it stands, and the IDs in it occur once): every
problem, in its order and with its line, is what plain xmlschema reports.
Only the keys of an error-free pass join the process-wide set of valid checks
(per compiled schema, bounded), which later documents use.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections import Counter
from collections.abc import Iterable

import xmlschema
from lxml import etree
from xmlschema import names as xsd_names
from xmlschema.validators import (
    XsdAnyElement,
    XsdAssert,
    XsdAttribute,
    XsdElement,
    XsdGroup,
    XsdIdentity,
)

#: Bound on the process-wide set of valid checks (under 100 bytes each).
MAX_REMEMBERED = 200_000

_XSI_NS = xsd_names.XSI_NAMESPACE
_ID_TYPES = frozenset({xsd_names.XSD_ID})
_IDREF_TYPES = frozenset({xsd_names.XSD_IDREF, xsd_names.XSD_IDREFS})
_SCOPED_TYPES = frozenset({xsd_names.XSD_QNAME, xsd_names.XSD_NOTATION})

Key = bytes
#: a declaration, its digest "person" (its identity) and whether it leaves the text free
_Declaration = tuple[XsdElement, bytes, bool]
Errors = list[xmlschema.XMLSchemaValidationError]


class SubtreeMemo:
    """Validation against one compiled schema, reusing the checks of repeated subtrees."""

    def __init__(self, schema: xmlschema.XMLSchemaBase) -> None:
        self.schema = schema
        own = [s for s in schema.maps.iter_schemas() if s.meta_schema is not None]
        components = [c for c in schema.maps.iter_components() if c.schema in own]
        elements = [c for c in components if isinstance(c, XsdElement)]
        attributes = [c for c in components if isinstance(c, XsdAttribute)]
        #: per declaration, by identity (kept alive, so ids stay unique): the
        #: declaration, its digest "person", whether it leaves the text free
        self.declarations = {
            id(d): (d, id(d).to_bytes(16, "little"), _text_free(d)) for d in elements
        }
        self.namespaces = tuple(sorted({s.target_namespace for s in own}))
        names = _TypeNames()
        self.id_names = frozenset(a.name for a in attributes if names(a.type) & _ID_TYPES)
        self.idref_names = frozenset(a.name for a in attributes if names(a.type) & _IDREF_TYPES)
        self.scoped = any(names(c.type) & _SCOPED_TYPES for c in (*attributes, *elements))
        self.wildcard_parents = _wildcard_parents(elements)
        self.usable = _supports_hook(schema) and _reusable(components, elements, names)
        self.valid: set[Key] = set()
        self._removable: dict[tuple[str, str], _Declaration | None] = {}

    def iter_errors(self, tree: etree._ElementTree) -> Errors:
        """Exactly the errors of ``schema.iter_errors(tree)``, found faster when there are none."""
        if not self.usable:
            return list(self.schema.iter_errors(tree))
        run = _Run(self, tree, reduce=True)
        if run.tree is None:
            return list(self.schema.iter_errors(tree))
        if not list(self.schema.iter_errors(run.tree, validation_hook=run.hook)):
            self._remember(run.removed_by | run.checked)
            return []
        again = _Run(self, tree, reduce=False)  # only what earlier valid files proved valid
        hook = again.hook if again.tree is not None else None
        return list(self.schema.iter_errors(tree, validation_hook=hook))

    def key(self, declaration: XsdElement, elem: etree._Element) -> Key | None:
        """The digest of checking ``elem`` against ``declaration``, or None if
        ``declaration`` is not one of the schema's own."""
        known = self.declarations.get(id(declaration))
        if known is None or known[0] is not declaration:
            return None
        return self.digest(known, elem)

    def digest(self, known: _Declaration, elem: etree._Element) -> Key:
        """The key of checking ``elem`` against the declaration ``known`` describes.

        An element without children whose declaration leaves its text free
        (see :func:`_text_free`) is keyed by its tag and attributes alone.
        """
        if known[2] and not len(elem):
            data = repr((elem.tag, sorted(elem.items()))).encode("utf-8")
        else:
            data = b"<" + etree.tostring(elem, with_tail=False)
        if self.scoped:  # QName values: their meaning depends on the prefixes in scope
            scope = sorted((prefix or "", uri) for prefix, uri in elem.nsmap.items())
            data = repr(scope).encode("utf-8") + b"\0" + data
        return hashlib.blake2b(data, digest_size=24, person=known[1]).digest()

    def removable(self, parent_tag: str, child_tag: str) -> _Declaration | None:
        """The global declaration of ``child_tag`` if every declaration of
        ``parent_tag`` holds any number of it through a strict wildcard (which
        checks it against that global declaration), else None."""
        pair = (parent_tag, child_tag)
        if pair not in self._removable:
            wildcards = self.wildcard_parents.get(parent_tag, ())
            declaration = self.schema.maps.elements.get(child_tag)
            ok = wildcards and declaration is not None
            ok = ok and all(w.is_matching(child_tag) for w in wildcards)
            self._removable[pair] = self.declarations.get(id(declaration)) if ok else None
        return self._removable[pair]

    def _remember(self, keys: set[Key]) -> None:
        if len(self.valid) + len(keys) > MAX_REMEMBERED:
            self.valid.clear()
        self.valid |= keys


class _Run:
    """One document: the tree to validate, its pinned elements and the keys met.

    With ``reduce``, the tree is a copy with repeats removed and the hook also
    skips what this pass checked already; without, it is the document itself
    and the hook skips only what earlier error-free passes proved valid.
    """

    def __init__(self, memo: SubtreeMemo, tree: etree._ElementTree, *, reduce: bool) -> None:
        self.memo = memo
        self.reducing = reduce
        self.removed_by: set[Key] = set()
        self.checked: set[Key] = set()
        self.keys: dict[etree._Element, Key] = {}  # wildcard children, as _reduce left them
        self.changed: set[etree._Element] = set()  # ancestors of what _reduce removed
        self.pinned: set[etree._Element] = set()
        self.tree: etree._ElementTree | None = copy.deepcopy(tree) if reduce else tree
        root = self.tree.getroot()
        if not self._pins(root):
            self.tree = None
        elif reduce:
            self._reduce(root)

    def _pins(self, root: etree._Element) -> bool:
        """Fill ``pinned``; False if the document is left to plain validation.

        Pinned for soundness: an element with an ID-typed attribute whose
        value occurs twice, or with an IDREF-typed attribute, and its
        ancestors.  Pinned to save work: every ancestor of an element with an
        ID, a subtree that can only recur whole in another file.
        """
        variables = {f"n{i}": ns for i, ns in enumerate(self.memo.namespaces)}
        own = " or ".join(f"namespace-uri() = ${name}" for name in variables) or "false()"
        if root.xpath(f"boolean(descendant-or-self::*[not({own})])", **variables):
            return False  # an element no declaration of the schema covers
        if root.xpath("boolean(descendant-or-self::*/@*[namespace-uri() = $xsi])", xsi=_XSI_NS):
            return False  # xsi:type or xsi:nil: a check depends on more than the key
        ids = [v for name in self.memo.id_names for v in _attribute_values(root, name)]
        refs = [v for name in self.memo.idref_names for v in _attribute_values(root, name)]
        counts = Counter(" ".join(v.split()) for v in ids)
        twice = [v for v in ids if counts[" ".join(v.split())] > 1]
        _mark_with_ancestors((v.getparent() for v in (*refs, *twice)), self.pinned)
        _mark_with_ancestors((v.getparent().getparent() for v in ids), self.pinned)
        return True

    def _reduce(self, root: etree._Element) -> None:
        """Remove the wildcard children identical to one met before, here or in a valid file."""
        memo, stack = self.memo, [root]
        while stack:
            parent = stack.pop()
            children = list(parent.iterchildren(etree.Element))
            if parent.tag in memo.wildcard_parents:
                children = [c for c in children if not self._removed(parent, c)]
            stack.extend(reversed(children))

    def _removed(self, parent: etree._Element, child: etree._Element) -> bool:
        known = None if child in self.pinned else self.memo.removable(parent.tag, child.tag)
        if known is None:
            return False
        key = self.memo.digest(known, child)
        if key in self.removed_by or key in self.memo.valid:
            _remove(child)
            _mark_with_ancestors([parent], self.changed)
            return True
        self.removed_by.add(key)
        self.keys[child] = key
        return False

    def hook(self, elem: etree._Element, declaration: XsdElement) -> bool:
        """xmlschema's validation hook: True leaves out ``elem``, identical to one checked."""
        if elem in self.pinned:
            return False
        key = self.keys.get(elem) if elem not in self.changed else None
        if key is None or self.memo.schema.maps.elements.get(elem.tag) is not declaration:
            key = self.memo.key(declaration, elem)
            if key is None:
                return False
        if key in self.memo.valid or key in self.checked:
            return True
        if self.reducing:
            self.checked.add(key)
        return False


def _remove(child: etree._Element) -> None:
    """Detach ``child``, handing its tail text to what precedes it."""
    parent = child.getparent()
    if child.tail:
        previous = child.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _mark_with_ancestors(elements: Iterable[etree._Element], marked: set[etree._Element]) -> None:
    for el in elements:
        while el is not None and el not in marked:
            marked.add(el)
            el = el.getparent()


def _attribute_values(root: etree._Element, name: str) -> list:
    """Every value of attribute ``name`` (Clark notation) in the tree, as smart strings."""
    ns, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
    test = "namespace-uri() = $ns and local-name() = $local"
    return root.xpath(f"descendant-or-self::*/@*[{test}]", ns=ns, local=local)


class _TypeNames:
    """The names of the simple types a type is built from (bases, list items,
    union members, simple content), kept per type."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, frozenset[str]]] = {}

    def __call__(self, xsd_type: object) -> frozenset[str]:
        known = self._known.get(id(xsd_type))
        if known is None or known[0] is not xsd_type:
            known = (xsd_type, _type_names(xsd_type))
            self._known[id(xsd_type)] = known
        return known[1]


def _type_names(xsd_type: object) -> frozenset[str]:
    names: set[str] = set()
    seen: set[int] = set()
    todo = [xsd_type]
    while todo:
        t = todo.pop()
        if t is None or id(t) in seen:
            continue
        seen.add(id(t))
        if isinstance(getattr(t, "name", None), str):
            names.add(t.name)
        content = getattr(t, "content", None)
        if content is not None and not isinstance(content, XsdGroup):
            todo.append(content)  # a complex type with simple content
        todo += [getattr(t, "base_type", None), getattr(t, "item_type", None)]
        todo += list(getattr(t, "member_types", None) or ())
    return frozenset(names)


def _text_free(declaration: XsdElement) -> bool:
    """Whether the check of an element against ``declaration`` ignores its text:
    mixed complex content, no fixed value (the only constraints on the
    character data of mixed content are a fixed value and, in XSD 1.1,
    assertions, which :func:`_reusable` excludes)."""
    t = declaration.type
    return (
        declaration.fixed is None
        and t.is_complex()
        and not t.has_simple_content()
        and bool(t.mixed)
        and bool(getattr(t.content, "mixed", False))  # what xmlschema's content check reads
        and not t.is_empty()
        and not getattr(t, "assertions", None)
    )


def _star_wildcard(group: object) -> XsdAnyElement | None:
    """The wildcard if ``group`` is (single-member groups around) one element
    wildcard repeatable from 0 to unbounded times, else None."""
    while isinstance(group, XsdGroup) and len(group) == 1 and group.max_occurs != 0:
        group = group[0]
    if isinstance(group, XsdAnyElement) and group.min_occurs == 0 and group.max_occurs is None:
        return None if group.not_qname else group
    return None


def _wildcard_parents(elements: Iterable[XsdElement]) -> dict[str, tuple[XsdAnyElement, ...]]:
    """The names all of whose declarations hold only a repeatable wildcard, with the wildcards."""
    found: dict[str, list[XsdAnyElement]] = {}
    refused: set[str] = set()
    for d in elements:
        t, wildcard = d.type, None
        plain = d.fixed is None and not getattr(t, "assertions", None)
        if plain and t.is_complex() and not t.has_simple_content() and not t.open_content:
            wildcard = _star_wildcard(t.content)
        if wildcard is None:
            refused.add(d.name)
        else:
            found.setdefault(d.name, []).append(wildcard)
    return {name: tuple(ws) for name, ws in found.items() if name not in refused}


def _reusable(components: list, elements: list[XsdElement], names: _TypeNames) -> bool:
    """Whether the schema keeps the check of an element independent of its context."""
    for c in components:
        if isinstance(c, (XsdIdentity, XsdAssert)):
            return False
        if isinstance(c, XsdAnyElement) and c.process_contents != "strict":
            return False
    for d in elements:
        if d.identities or d.selected_by or getattr(d, "alternatives", None):
            return False
        if names(d.type) & (_ID_TYPES | _IDREF_TYPES):
            return False  # an element whose content is an ID or IDREF
    return True


def _supports_hook(schema: xmlschema.XMLSchemaBase) -> bool:
    return "validation_hook" in inspect.signature(schema.iter_errors).parameters
