"""Validation of TEI files: three independent checks, one list of problems.

* ``tei_all:`` conformance to the vendored TEI P5 ``tei_all`` RELAX NG schema
  (``schema/tei_all.rng``), the exchange guarantee (ENCODING.md §8);
* ``edition-schema:`` the edition's stricter profile (``schema/edition.xsd``,
  XML Schema 1.1, run with :mod:`xmlschema`); skipped with ``profile=False``
  for other projects' TEI, which is naturally "not in the edition's profile";
* ``rule:`` the rule checks: ``schema/edition-rules.sch`` (ISO Schematron;
  phase ``exchange`` for foreign files, ``edition`` for ours) and the checks
  XPath 1.0 cannot express, done here: every ``#id`` pointer resolves, every
  date attribute is a real calendar date, every ``@xml:id`` is unique.

Every problem carries the file and the line of the offending element.

Speed: pruning tei_all to the document's vocabulary
----------------------------------------------------
libxml2 compiles the whole of ``tei_all.rng`` (595 elements, 1113 defines) in
about 10 s.  We compile instead the schema pruned to a set *S* of element
names that contains every name the document uses: every define that is the
element pattern of a name outside *S* becomes ``notAllowed``; so does every
define that can then no longer match a finite tree (least fixed point);
``notAllowed`` is propagated by RELAX NG's own simplification rules (a choice
loses the branch, a group, element or attribute holding it becomes
notAllowed, an optional or zeroOrMore becomes empty); unreachable defines,
annotations and embedded Schematron (which libxml2 ignores) are dropped.

Why this is sound.  Every RELAX NG pattern operator (group, interleave,
choice, oneOrMore, element, attribute, list, mixed) is monotone in the
languages of the patterns it refers to, so replacing a define by
``notAllowed`` (the empty language) can only shrink the schema's language:
whatever the pruned schema accepts, tei_all accepts (no false "valid").
Conversely a valid document's derivation in tei_all only ever matches
element patterns whose names occur in the document, i.e. are in *S*; those
patterns are untouched, so the same derivation works in the pruned schema
(no false "invalid").  The simplification steps preserve the language.
Name-class patterns (``anyName``, used for foreign content) are never
pruned.  libxml2 is not a perfect RELAX NG engine, so the equivalence was
checked empirically: on 1000 random mutations of the test samples and of
foreign TEI files (345 valid, 655 invalid, 139 different name sets) and 300
of the five converted seeds, the pruned and the full schema agreed every
time; a test repeats this on a smaller scale.  Two libxml2 quirks the checks exposed are
avoided by the simplification: a ``group`` holding ``empty`` mis-validates,
and a one-member ``group`` can take minutes to compile.

Figures (this machine): full tei_all compile 9.4 s; pruning 0.05 s; pruned
schema 81 kB instead of 1 MB, compiled in 0.05 s from the disk cache;
RELAX NG validation 3-35 ms per seed file.  The (pure Python) XML Schema
check costs xmlschema about 70 us per element (40-480 ms per seed file, 5165
elements the largest) once the schema leaves mixed content to a wildcard
and id patterns to the Schematron (it was 0.2-3.3 s); the compiled schema is
pickled to the same cache (0.04 s to load instead of 0.3-0.8 s to compile).
:mod:`.xsd_memo` has xmlschema check each repeated subtree once (per file and
across the files a process validates): the chronology 380 -> 200 ms, the
100-text synthetic corpus 8.0 -> 2.9 s; a file with an error is validated
again, so its problems are exactly xmlschema's.  The Schematron is compiled
without ``svrl:fired-rule`` output and without trying attribute nodes as
contexts (:func:`_skeleton_params`; 41 -> 24 ms), and the pointer, date and
id rules find the usual "no problem" in one pass over the attributes
(32 -> 6 ms).

Caching: the pruned RELAX NG text is kept on disk under
``$EDITION_CACHE`` (default ``~/.cache/edition/``) keyed by the SHA-256 of
``tei_all.rng`` and the sorted name set, and compiled schemas are kept in
memory per name set.  A document whose names all lie in the edition's own
vocabulary (the element names ``edition.xsd`` declares) is checked against
tei_all pruned to that whole vocabulary, so all of the edition's files share
one pruned schema; any other document gets the schema pruned to its own names.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Callable, Container, Iterable, Iterator
from pathlib import Path

import elementpath
import xmlschema
from lxml import etree, isoschematron

from .cache import cache_dir
from .errors import InputError
from .model import TEI_NS, XML_NS, Problem
from .xmlio import parse, write_atomic
from .xsd_memo import SubtreeMemo

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
TEI_ALL = SCHEMA_DIR / "tei_all.rng"
EDITION_XSD = SCHEMA_DIR / "edition.xsd"
EDITION_RULES = SCHEMA_DIR / "edition-rules.sch"

RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_R = f"{{{RNG_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"

#: Attributes whose ``#id`` tokens must resolve inside the file.
POINTER_ATTRS = ("ref", "target", "resp", "who", "corresp", "sameAs", "ana", "prev", "next")
#: Attributes that hold W3C dates (att.datable.w3c) ...
DATE_ATTRS = ("when", "from", "to", "notBefore", "notAfter")
#: ... except on elements whose @from/@to are citations or pointers, not dates.
NON_DATE_RANGES = frozenset({"citedRange", "biblScope", "locus", "span", "app", "arc", "rt"})

_DATE_RE = re.compile(
    r"-?(?P<y>\d{4,})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?:\.\d+)?)?)?)?"
    r"(?:Z|[+-]\d{2}:\d{2})?"
)


# ---------------------------------------------------------------- tei_all ---


@functools.cache
def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def _tei_all_tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(remove_blank_text=True, no_network=True))


def _element_name(define: etree._Element) -> str | None:
    """The Clark name of the element a define is, or None (not one named element)."""
    children = [c for c in define if isinstance(c.tag, str) and c.tag.startswith(_R)]
    if len(children) != 1 or children[0].tag != _R + "element" or not children[0].get("name"):
        return None
    el = children[0]
    ns = next((a.get("ns") for a in (el, *el.iterancestors()) if a.get("ns") is not None), "")
    return f"{{{ns}}}{el.get('name')}" if ns else el.get("name")


def _outside(define: etree._Element, names: set[str]) -> bool:
    """Whether ``define`` is the pattern of an element whose name is not in ``names``."""
    name = _element_name(define)
    return name is not None and name not in names


def prune_tei_all(rng: etree._ElementTree, names: Iterable[str]) -> etree._ElementTree:
    """tei_all restricted to the element names ``names`` (Clark notation).

    Element defines for other names become ``notAllowed``, which is then
    propagated by RELAX NG's own simplification rules (a choice loses the
    branch, a group or element holding it becomes notAllowed, an optional or
    zeroOrMore becomes empty); dead and unreachable defines, annotations and
    embedded Schematron are dropped.  See the module docstring for why the
    result agrees with tei_all on documents using only ``names``.
    """
    keep = set(names)
    grammar = rng.getroot()
    defines = {d.get("name"): d for d in grammar.iter(_R + "define")}
    dead = _dead_defines(defines, keep)
    pruner = _Pruner(dead)
    root = etree.Element(_R + "grammar", dict(grammar.attrib), nsmap={None: RNG_NS})
    start = grammar.find(_R + "start")
    pruned_start = pruner.copy(start)
    if pruned_start is None:  # the root element is not one tei_all allows
        pruned_start = _element(start.tag, _element(_R + "notAllowed"))
    root.append(pruned_start)
    todo, seen = _refs(root[0]), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        define = pruner.copy(defines[name])
        root.append(define)
        todo.extend(_refs(define))
    return etree.ElementTree(root)


_NAME_CLASSES = frozenset(_R + t for t in ("name", "anyName", "nsName"))
_LEAVES = frozenset(_R + t for t in ("text", "empty", "data", "value"))


def _patterns(node: etree._Element) -> list[etree._Element]:
    """The pattern children of an RNG node (no name class, no annotation)."""
    kids = [c for c in node if isinstance(c.tag, str) and c.tag.startswith(_R)]
    if node.tag in (_R + "element", _R + "attribute") and not node.get("name") and kids:
        kids = kids[1:]
    return kids


def _is_dead(node: etree._Element, dead: set[str]) -> bool:
    """Whether ``node`` denotes the empty language, given the dead defines."""
    tag = node.tag
    if tag == _R + "ref":
        return node.get("name") in dead
    if tag == _R + "notAllowed":
        return True
    if tag in _LEAVES or tag in (_R + "optional", _R + "zeroOrMore"):
        return False
    kids = _patterns(node)
    if tag == _R + "choice":
        return all(_is_dead(k, dead) for k in kids)
    return any(_is_dead(k, dead) for k in kids)


def _dead_defines(defines: dict[str, etree._Element], names: set[str]) -> set[str]:
    """The defines that match no finite tree once elements outside ``names`` are
    removed: everything outside the least fixed point of "productive" defines
    (so a recursion such as ``listWit`` holding only ``listWit`` is dead too)."""
    outside = {n for n, d in defines.items() if _outside(d, names)}
    dead = set(defines)  # shrinks to the greatest set of unproductive defines
    changed = True
    while changed:
        changed = False
        for name in sorted(dead - outside):
            if not _is_dead(defines[name], dead):
                dead.discard(name)
                changed = True
    return dead


class _Pruner:
    """Copies RNG patterns with dead references simplified away."""

    def __init__(self, dead: set[str]) -> None:
        self.dead = dead

    def copy(self, node: etree._Element) -> etree._Element | None:
        """A simplified copy of ``node``, or None if it matches nothing.

        As in RELAX NG simplification, ``empty`` is dropped from groups and a
        one-member choice, group or interleave is replaced by its member:
        libxml2 mis-validates a group holding ``empty`` and can take minutes
        to compile a one-member group.
        """
        if _is_dead(node, self.dead) and node.tag not in (_R + "define", _R + "start"):
            return None
        if node.tag in _LEAVES or node.tag in _NAME_CLASSES:
            return _strip_foreign(node)
        out = etree.Element(node.tag, dict(node.attrib), nsmap={None: RNG_NS})
        patterns = _patterns(node)
        is_choice = node.tag == _R + "choice"
        kept_any = False
        for child in node:
            if not isinstance(child.tag, str) or not child.tag.startswith(_R):
                continue
            if not any(child is p for p in patterns):
                out.append(_strip_foreign(child))  # a name class
                continue
            kept = self.copy(child)
            if kept is None and not is_choice:
                return _element(_R + "empty") if node.tag in _OPTIONAL else None
            if kept is not None and (is_choice or kept.tag != _R + "empty"):
                out.append(kept)
                kept_any = True
        if not kept_any and patterns:
            out.append(_element(_R + "empty"))
        if node.tag in _CONTAINERS and len(out) == 1:
            return out[0]  # libxml2 can take minutes over a one-member group
        return out


_OPTIONAL = frozenset({_R + "optional", _R + "zeroOrMore"})
_CONTAINERS = frozenset({_R + "choice", _R + "group", _R + "interleave"})


def _element(tag: str, *children: etree._Element) -> etree._Element:
    el = etree.Element(tag, nsmap={None: RNG_NS})
    el.extend(children)
    return el


def _refs(node: etree._Element) -> list[str]:
    return [r.get("name") for r in node.iter(_R + "ref")]


def _strip_foreign(node: etree._Element) -> etree._Element:
    """A deep copy of a RELAX NG node without foreign (annotation) elements."""
    copy = etree.Element(node.tag, dict(node.attrib), nsmap={None: RNG_NS})
    copy.text = node.text if node.tag in (_R + "value", _R + "param", _R + "name") else None
    for child in node:
        if isinstance(child.tag, str) and child.tag.startswith(_R):
            copy.append(_strip_foreign(child))
    return copy


def pruned_schema_text(names: frozenset[str], rng_path: Path = TEI_ALL) -> bytes:
    """The pruned RELAX NG for ``names``, from the disk cache or freshly made."""
    # the key covers the schema, the element set and this module (the pruning code)
    key = hashlib.sha256(
        "\n".join([_file_sha256(rng_path), _file_sha256(Path(__file__)), *sorted(names)])
        .encode("utf-8")
    ).hexdigest()
    cached = cache_dir() / f"tei_all-{key[:32]}.rng"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    text = etree.tostring(prune_tei_all(_tei_all_tree(rng_path), names), encoding="UTF-8")
    with contextlib.suppress(OSError):  # a read-only home is no reason to fail validation
        write_atomic(cached, text)
    return text


@functools.cache
def pruned_relaxng(names: frozenset[str], rng_path: Path = TEI_ALL) -> etree.RelaxNG:
    """Compiled tei_all pruned to ``names`` (cached per process)."""
    try:
        return _compile(pruned_schema_text(names, rng_path))
    except (etree.XMLSyntaxError, etree.RelaxNGParseError):  # a damaged cache file
        return _compile(etree.tostring(prune_tei_all(_tei_all_tree(rng_path), names)))


def _compile(data: bytes) -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(data, etree.XMLParser(no_network=True)))


@functools.cache
def full_relaxng(rng_path: Path = TEI_ALL) -> etree.RelaxNG:
    """The complete tei_all schema, compiled (about 10 s; used to cross-check)."""
    return etree.RelaxNG(_tei_all_tree(rng_path))


# --------------------------------------------------------- edition schema ---


@functools.cache
def edition_schema(path: Path = EDITION_XSD) -> xmlschema.XMLSchema11:
    """The compiled edition schema: once per process, and from the disk cache if there.

    Compiling takes xmlschema 0.3-0.8 s, loading the pickled schema 0.04 s.  The
    cache file is keyed by every ``.xsd`` beside ``path`` (the schema and what it
    imports) and the versions of Python, xmlschema and elementpath; a file that
    does not load is replaced.  Like the rest of the cache it is trusted: it lives
    in the user's own ``$EDITION_CACHE``.
    """
    cached = cache_dir() / f"edition-xsd-{_xsd_key(path)[:32]}.pickle"
    with contextlib.suppress(Exception):  # missing, damaged or foreign: compile afresh
        schema = pickle.loads(cached.read_bytes())
        if isinstance(schema, xmlschema.XMLSchema11):
            return schema
    schema = xmlschema.XMLSchema11(str(path))
    with contextlib.suppress(OSError, pickle.PicklingError):
        write_atomic(cached, pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL))
    return schema


def _xsd_key(path: Path) -> str:
    """SHA-256 over the schema files and the software that compiles them."""
    parts = [sys.version, xmlschema.__version__, elementpath.__version__]
    parts += [_file_sha256(f) for f in sorted(path.parent.glob("*.xsd"))]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@functools.cache
def edition_memo(path: Path = EDITION_XSD) -> SubtreeMemo:
    """The edition schema with the process's memory of valid subtrees (see :mod:`.xsd_memo`)."""
    return SubtreeMemo(edition_schema(path))


def compile_schemas() -> None:
    """Compile what :class:`Validator` uses (the edition's schema, tei_all pruned
    to the edition's vocabulary, the rules), e.g. once before forking workers."""
    edition_memo()
    pruned_relaxng(edition_vocabulary())
    edition_rules("edition")


@functools.cache
def edition_vocabulary(path: Path = EDITION_XSD) -> frozenset[str]:
    """Clark names of every element ``edition.xsd`` declares."""
    tree = etree.parse(str(path))
    ns = tree.getroot().get("targetNamespace")
    names = tree.getroot().iter(f"{{{XSD_NS}}}element")
    return frozenset(f"{{{ns}}}{e.get('name')}" for e in names if e.get("name"))


@functools.cache
def edition_rules(phase: str, path: Path = EDITION_RULES) -> isoschematron.Schematron:
    """The compiled Schematron, with the options of lxml's ISO skeleton that
    :func:`_skeleton_params` shows safe for these rules."""
    schema = etree.parse(str(path))
    return isoschematron.Schematron(
        schema, phase=phase, store_report=True, compile_params=_skeleton_params(schema)
    )


def _skeleton_params(schema: etree._ElementTree) -> dict[str, str]:
    """Options of the ISO skeleton (``iso_schematron_skeleton_for_xslt1.xsl``)
    that change how contexts are found, not what is reported.

    * ``generate-fired-rule``: no ``svrl:fired-rule`` per matched node (only
      failed asserts are read), always;
    * ``attributes``: attribute nodes are not tried as contexts, when no rule
      context can match one (no ``@``, ``attribute``, ``(`` or ``$`` outside
      its predicates: a child-axis pattern matches elements only) and every
      rule is in this file (no include, extends or abstract pattern).

    (Not ``select-contexts=key``: lxml's skeleton then stops descending below
    a node a rule matched, and misses problems.)  Chronology: 45 -> 25 ms.
    """
    sch = f"{{{SCH_NS}}}"
    params = {"generate-fired-rule": "'false'"}
    if any(schema.iter(sch + "include", sch + "extends")) or schema.xpath("//@is-a"):
        return params
    contexts = [r.get("context", "") for r in schema.iter(sch + "rule")]
    outer = [_outside_predicates(c) for c in contexts]
    if not any(ch in o for o in outer for ch in ("@", "attribute", "(", "$")):
        params["attributes"] = "'false'"
    return params


def _outside_predicates(pattern: str) -> str:
    """``pattern`` without its predicates (``[...]``, nested; quoted text respected)."""
    out, depth, quote = [], 0, ""
    for ch in pattern:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[]":
            depth += 1 if ch == "[" else -1
            continue
        if not depth:
            out.append(ch)
    return "".join(out)


# -------------------------------------------------------------- validator ---


class Validator:
    """Runs tei_all, the edition's schema and the rules over TEI files.

    ``profile=False`` skips the edition's schema and its profile rules (for
    other projects' TEI); ``prune=False`` checks against the complete tei_all.
    Compiled schemas are shared by the whole process; a Schematron keeps its
    last report, so use one process (not one thread) per parallel worker.
    """

    def __init__(self, *, profile: bool = True, prune: bool = True) -> None:
        self.profile = profile
        self.prune = prune

    def validate_file(self, path: str | os.PathLike[str]) -> list[Problem]:
        """Parse ``path`` safely (:class:`InputError` if it is not XML) and validate it."""
        return self.validate_tree(parse(path), str(path))

    def validate_tree(self, tree: etree._ElementTree, path: str) -> list[Problem]:
        """Every problem of ``tree``: those of each of :meth:`checks` in turn."""
        return [problem for check in self.checks() for problem in check(tree, path)]

    def checks(self) -> list[Callable[[etree._ElementTree, str], list[Problem]]]:
        """What :meth:`validate_tree` runs, in its order: tei_all, the edition's
        schema (with the profile), the rules; each gives its problems by line."""
        return [self.tei_all_problems, *([self.schema_problems] if self.profile else []),
                self.rule_problems]

    def relaxng_for(self, tree: etree._ElementTree) -> etree.RelaxNG:
        if not self.prune:
            return full_relaxng()
        used = {el.tag for el in tree.iter(etree.Element)}
        if used <= edition_vocabulary():
            used = edition_vocabulary()
        return pruned_relaxng(frozenset(used))

    def tei_all_problems(self, tree: etree._ElementTree, path: str) -> list[Problem]:
        schema = self.relaxng_for(tree)
        if schema.validate(tree):
            return []
        return [_problem(path, e.line, f"tei_all: {e.message}") for e in schema.error_log]

    def schema_problems(self, tree: etree._ElementTree, path: str) -> list[Problem]:
        root = tree.getroot()
        if root.tag != f"{{{TEI_NS}}}TEI":
            return [
                _problem(
                    path,
                    root.sourceline,
                    "edition-schema: not in the edition's "
                    f"profile: the root is {_qname(root)}, not TEI",
                )
            ]
        problems = [
            _problem(path, _line(err.elem, root), f"edition-schema: {_xsd_message(err)}")
            for err in edition_memo().iter_errors(tree)
        ]
        return sorted(problems, key=lambda p: p.line)

    def rule_problems(self, tree: etree._ElementTree, path: str) -> list[Problem]:
        phase = "edition" if self.profile else "exchange"
        problems = list(schematron_problems(tree, path, edition_rules(phase)))
        problems += attribute_problems(tree, path)
        return sorted(problems, key=lambda p: p.line)


@functools.cache
def default_validator(profile: bool = True) -> Validator:
    return Validator(profile=profile)


def validate_file(path: str | os.PathLike[str], *, profile: bool = True) -> list[Problem]:
    """Validate one file with the default validator."""
    return default_validator(profile).validate_file(path)


def validate_tree(tree: etree._ElementTree, path: str, *, profile: bool = True) -> list[Problem]:
    return default_validator(profile).validate_tree(tree, path)


# ------------------------------------------------------------ rule checks ---


def schematron_problems(
    tree: etree._ElementTree, path: str, rules: isoschematron.Schematron
) -> Iterator[Problem]:
    """The failed assertions of ``rules`` on ``tree``, each at its element's line."""
    if rules.validate(tree):
        return
    for failed in rules.validation_report.iter(f"{{{SVRL_NS}}}failed-assert"):
        hits = tree.xpath(failed.get("location"))
        line = hits[0].sourceline if hits and hasattr(hits[0], "sourceline") else 0
        text = " ".join("".join(failed.itertext()).split())
        yield _problem(path, line, f"rule: {text}")


def _with(attrs: Iterable[str]) -> etree.XPath:
    """The elements having any of ``attrs``, in document order (selected by libxml2,
    not by a Python loop over every element)."""
    test = " or ".join(f"@{a}" for a in attrs)
    return etree.XPath(f"//*[{test}]", namespaces={"xml": XML_NS})


_WITH_ID = _with(["xml:id"])
_WITH_POINTER = _with(POINTER_ATTRS)
_WITH_DATE = _with(DATE_ATTRS)
_ALL_IDS = etree.XPath("//@xml:id", namespaces={"xml": XML_NS}, smart_strings=False)


def attribute_problems(tree: etree._ElementTree, path: str,
                        outside: Container[str] = frozenset(),
                        scope: str = "the file") -> list[Problem]:
    """The problems of :func:`_id_problems`, :func:`_pointer_problems` (a pointer
    may also name one of the ids ``outside`` the tree, which is part of
    ``scope``) and :func:`_date_problems`, in that order.  One pass over the
    attributes finds the usual case, no problem; otherwise the three checks run."""
    ids: list[str] = []
    pointers: list[str] = []
    dates: list[str] = []
    for el in tree.iter(etree.Element):
        for name, value in el.items():
            if name in _POINTER_SET:
                pointers.append(value)
            elif name in _DATE_SET:
                if name not in _RANGE_ENDS or etree.QName(el).localname not in NON_DATE_RANGES:
                    dates.append(value)
            elif name == _XML_ID:
                ids.append(value)
    known = set(ids)
    if (
        len(known) == len(ids)
        and all(_resolves(value, known, outside) for value in pointers)
        and not any(map(date_error, dates))
    ):
        return []
    return [*_id_problems(tree, path), *_pointer_problems(tree, path, outside, scope),
            *_date_problems(tree, path)]


_POINTER_SET = frozenset(POINTER_ATTRS)
_DATE_SET = frozenset(DATE_ATTRS)
_RANGE_ENDS = frozenset({"from", "to"})


def _id_problems(tree: etree._ElementTree, path: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for el in _WITH_ID(tree):
        value = el.get(_XML_ID)
        if value in first:
            yield _problem(
                path,
                el.sourceline,
                f'rule: @xml:id="{value}" is used twice (first on line {first[value]})',
            )
        else:
            first[value] = el.sourceline or 0


def _pointer_problems(tree: etree._ElementTree, path: str,
                      outside: Container[str] = frozenset(),
                      scope: str = "the file") -> Iterator[Problem]:
    ids = set(_ALL_IDS(tree))
    for el in _WITH_POINTER(tree):
        for attr in POINTER_ATTRS:
            for token in (el.get(attr) or "").split():
                if token.startswith("#") and token[1:] not in ids and token[1:] not in outside:
                    yield _problem(
                        path,
                        el.sourceline,
                        f'rule: @{attr}="{token}" of {_qname(el)} points to no @xml:id in {scope}',
                    )


def _resolves(value: str, ids: set[str], outside: Container[str] = frozenset()) -> bool:
    """Whether every ``#id`` token of ``value`` names one of ``ids`` or ``outside``."""
    return all(t[1:] in ids or t[1:] in outside for t in value.split() if t.startswith("#"))


def _date_problems(tree: etree._ElementTree, path: str) -> Iterator[Problem]:
    for el in _WITH_DATE(tree):
        ranges_are_dates = etree.QName(el).localname not in NON_DATE_RANGES
        for attr in DATE_ATTRS:
            value = el.get(attr)
            if value is None or (attr in ("from", "to") and not ranges_are_dates):
                continue
            error = date_error(value)
            if error:
                yield _problem(
                    path, el.sourceline, f'rule: @{attr}="{value}" of {_qname(el)} {error}'
                )


@functools.lru_cache(maxsize=4096)
def date_error(value: str) -> str | None:
    """Why ``value`` is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD or a
    date and time with seconds) naming a real day and time, or None (a pure
    function of ``value``, so its answers are kept: dates repeat)."""
    match = _DATE_RE.fullmatch(value.strip())
    if not match:
        return "is not an ISO 8601 date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss)"
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if "m" in parts and not 1 <= parts["m"] <= 12:
        return "has no such month"
    if "d" in parts:
        try:
            dt.date(2000 if parts["y"] == 0 else parts["y"], parts["m"], parts["d"])
        except ValueError:
            return "is not a real calendar day"
    if "H" in parts and not (parts["H"] < 24 and parts["M"] < 60 and parts["S"] < 60):
        return "is not a real time of day"
    return None


# ---------------------------------------------------------------- helpers ---


def _qname(el: etree._Element) -> str:
    return f"<{etree.QName(el).localname}>"


def _line(elem: object, root: etree._Element) -> int:
    line = getattr(elem, "sourceline", None)
    return line if isinstance(line, int) else root.sourceline or 0


def _xsd_message(err: xmlschema.XMLSchemaValidationError) -> str:
    """An xmlschema error as one line: element, reason, Clark names shortened."""
    where = _qname(err.elem) if isinstance(getattr(err, "elem", None), etree._Element) else ""
    annotation = getattr(err.validator, "annotation", None)
    if isinstance(err.validator, xmlschema.validators.XsdAssert) and annotation:
        reason = str(annotation)
    elif isinstance(err.validator, xmlschema.validators.XsdAnyElement) and where:
        reason = "is not an element the edition's schema declares"  # strict wildcard
    else:
        reason = err.reason or str(err.message)
    reason = reason.replace(f"{{{XML_NS}}}", "xml:").replace(f"{{{TEI_NS}}}", "")
    return f"{where} {' '.join(reason.split())}".strip()


def _problem(path: str, line: int | None, message: str) -> Problem:
    return Problem(path, line or 0, message, "error")


__all__ = [
    "InputError",
    "Validator",
    "date_error",
    "default_validator",
    "prune_tei_all",
    "pruned_relaxng",
    "validate_file",
    "validate_tree",
]
