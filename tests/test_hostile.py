"""Hostile and broken input, case by named case (ENCODING.md, issue 7).

Every case ends in one of two ways: a clear one-line error ``error:
file:line: message`` with exit code 1 (or 2 for a usage error), or safe
processing.  Never a traceback, a hang, a network access, a leaked local
file, a partial output file, or script in the reading edition.

A local TCP listener stands in for "the network": every URL in the hostile
files points at it, and a test fails if anything connects.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result

from edition import convert as convert_module
from edition import render
from edition.cli import main
from edition.errors import EditionError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
SECRET = "TOP-SECRET-3b9f1c"  # the content of a local file no output may show
TIME_LIMIT = 20  # seconds for one command on one hostile file
# ``error: path:line: message``, or ``error: path: message`` when no line applies
ERROR_LINE = re.compile(r"^error: (?P<path>.+?)(?::(?P<line>\d+))?: (?P<message>.+)$")


# ------------------------------------------------------------- fixtures ---


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.hits += 1
                conn.close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def net() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.sock.close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(SECRET + "\n")
    return path


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging) if the block takes longer than ``seconds``."""

    def expire(*_: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(args: list[str]) -> Result:
    with time_limit(TIME_LIMIT):
        return CliRunner().invoke(main, args)


def assert_no_traceback(result: Result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output


def assert_one_line_error(result: Result, path: Path, words: str) -> None:
    """Exit code 1 and exactly one stderr line ``error: path[:line]: ...words...``."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    match = ERROR_LINE.match(lines[0])
    assert match, lines[0]
    assert match["path"] == str(path)
    assert re.search(words, match["message"], re.I), lines[0]


# ------------------------------------------------------- hostile XML ---

TEI_NS = "http://www.tei-c.org/ns/1.0"


def tei(body: str, prolog: str = "", root_attrs: str = "") -> str:
    """A small TEI document (not in the edition's profile) around ``body``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<TEI xmlns="{TEI_NS}"{root_attrs}><teiHeader><fileDesc>'
        "<titleStmt><title>Hostile</title></titleStmt>"
        "<publicationStmt><p>none</p></publicationStmt>"
        "<sourceDesc><p>crafted</p></sourceDesc></fileDesc></teiHeader>\n"
        f"<text><body>\n{body}\n</body></text></TEI>\n"
    )


@dataclass(frozen=True)
class Hostile:
    """A named hostile XML file: ``make(net, secret)`` gives its bytes;
    ``refused`` with a message matching ``words`` (and on line ``line`` if
    given), or processed safely (``words`` None)."""

    name: str
    make: Callable[[Listener, Path], bytes]
    words: str | None = None
    line: int | None = None
    known_bug: str | None = None  # reported to the module's owner; an xfail until fixed
    bug_in: str = ""  # the command that shows the known bug


def _laughs(encoding: str) -> Callable[[Listener, Path], bytes]:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doc = tei("<p>&lol9;</p>", "<!DOCTYPE TEI [\n" + "\n".join(levels) + "\n]>\n")
    doc = doc.replace('encoding="UTF-8"', f'encoding="{encoding}"')
    return lambda net, secret: doc.encode(encoding)


HOSTILE_XML = [
    Hostile("billion-laughs", _laughs("UTF-8"), "entity declarations", 3),
    Hostile("billion-laughs-utf16", _laughs("UTF-16"), "entity declarations"),
    Hostile("quadratic-blowup", lambda n, s: tei(
        "<p>" + "&a;" * 100_000 + "</p>",
        '<!DOCTYPE TEI [<!ENTITY a "' + "A" * 100_000 + '">]>\n').encode(),
        "entity declarations", 2),
    Hostile("xxe-local-file", lambda n, s: tei(
        "<p>&xxe;</p>", f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{s}">]>\n').encode(),
        "entity declarations", 2),
    Hostile("xxe-network", lambda n, s: tei(
        "<p>&xxe;</p>", f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{n.url("xxe")}">]>\n').encode(),
        "entity declarations", 2),
    Hostile("parameter-entities", lambda n, s: tei(
        "<p>x</p>", f'<!DOCTYPE TEI [<!ENTITY % pe SYSTEM "{n.url("pe.dtd")}"> %pe;]>\n'
    ).encode(), "entity declarations", 2),
    Hostile("external-dtd-network", lambda n, s: tei(
        "<p>x</p>", f'<!DOCTYPE TEI SYSTEM "{n.url("tei.dtd")}">\n').encode()),
    Hostile("entity-from-external-dtd", lambda n, s: tei(
        "<p>before &secret; after</p>", f'<!DOCTYPE TEI SYSTEM "{n.url("tei.dtd")}">\n'
    ).encode(), r"entity reference &secret; cannot be resolved", 5),
    Hostile("dtd-attribute-defaults", lambda n, s: tei(
        "<p>x</p>", '<!DOCTYPE TEI [<!ATTLIST p rend CDATA "x&quot; onclick=&quot;a()">]>\n'
    ).encode()),
    Hostile("undefined-entity", lambda n, s: tei("<p>&nbsp;</p>").encode(),
            "Entity 'nbsp' not defined", 4),
    Hostile("xinclude-etc-passwd", lambda n, s: tei(
        '<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd" '
        'parse="text"/></p>').encode()),
    Hostile("xinclude-secret-and-network", lambda n, s: tei(
        f'<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{s}" parse="text"/>'
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{n.url("x.xml")}"/>'
        "</p>").encode()),
    Hostile("huge-attribute-value", lambda n, s: tei(
        '<p rend="' + "a" * 11_000_000 + '">x</p>').encode(), "larger than the parser's limit"),
    Hostile("large-attribute-value", lambda n, s: tei(
        '<p rend="' + "a" * 5_000_000 + '" n="' + "\u00e9" * 100_000 + '">x</p>').encode()),
    Hostile("many-rend-tokens", lambda n, s: tei(
        '<p rend="' + "a " * 5000 + '">x</p>').encode()),
    Hostile("deep-nesting-100k", lambda n, s: tei(
        "<p>" + "<hi>" * 100_000 + "x" + "</hi>" * 100_000 + "</p>").encode(),
        "nested more than 256 levels deep", 4),
    Hostile("deep-nesting-250", lambda n, s: tei(
        "<div>" * 120 + "<p>" + "<hi>" * 120 + "x" + "</hi>" * 120 + "</p>" + "</div>" * 120
    ).encode()),
    Hostile("processing-instructions", lambda n, s: tei(
        '<p>a<?php system("id"); ?>b<?xml-model href="evil.rng"?></p>',
        "<?evil instruction?>\n").encode()),
    Hostile("xml-stylesheet-pi", lambda n, s: tei(
        "<p>x</p>", f'<?xml-stylesheet type="text/xsl" href="{n.url("evil.xsl")}"?>\n'
    ).encode()),
    Hostile("comment-with-double-hyphen", lambda n, s: tei("<p>x<!-- a -- b --></p>").encode(),
            "Double hyphen within comment", 4),
    Hostile("xml-id-not-ncname", lambda n, s: tei(
        '<p xml:id="a&quot;&gt;&lt;script&gt;">x</p>').encode(), "not an NCName", 4),
    Hostile("nul-character-reference", lambda n, s: tei("<p>&#0;</p>").encode(),
            "invalid xmlChar value 0", 4),
    Hostile("not-well-formed", lambda n, s: b"<TEI>\n<text>\n<p>unclosed\n</text></TEI>\n",
            "mismatch", 4),
    Hostile("cdata-script", lambda n, s: tei(
        "<p><![CDATA[<script>alert(1)</script>]]></p>").encode()),
]


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory, net: Listener,
                  secret_file: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {}
    for case in HOSTILE_XML:
        files[case.name] = folder / f"{case.name}.xml"
        files[case.name].write_bytes(case.make(net, secret_file))
    return files


def _leaks(text: str) -> bool:
    return SECRET in text or "root:x:0:0" in text


COMMANDS = {
    "validate": lambda path, out: ["validate", str(path)],
    "render-html": lambda path, out: ["render", str(path), "--to", "html", "--out", str(out)],
    "render-txt": lambda path, out: ["render", str(path), "--to", "txt", "--out", str(out)],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", HOSTILE_XML, ids=lambda c: c.name)
def test_hostile_xml(case: Hostile, command: str, hostile_files: dict[str, Path],
                     net: Listener, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if case.known_bug and command == case.bug_in:
        request.applymarker(pytest.mark.xfail(reason=case.known_bug, strict=True))
    path, out = hostile_files[case.name], tmp_path / "out"
    hits = net.hits
    result = run_cli(COMMANDS[command](path, out))
    assert_no_traceback(result)
    assert net.hits == hits, "the network was accessed"
    assert not _leaks(result.output)
    written = sorted(out.iterdir()) if out.exists() else []
    if case.words is not None:
        assert_one_line_error(result, path, case.words)
        if case.line is not None:
            assert ERROR_LINE.match(result.stderr.strip())["line"] == str(case.line)
        assert written == [], "a refused file must not leave output"
        return
    assert result.exit_code in (0, 1), result.output  # 1: invalid, reported per problem
    if command == "validate":
        assert all(ERROR_LINE.match(line) or re.match(rf"{re.escape(str(path))}:\d+: ", line)
                   for line in result.stderr.splitlines()), result.stderr
        return
    assert result.exit_code == 0, result.output
    suffix = command[-4:].lstrip("-")
    page = out / f"{case.name}.{suffix}"
    stylesheet = ["assets"] if suffix == "html" else []  # what the page links to
    assert [p.name for p in written] == sorted([page.name, *stylesheet])
    assert not _leaks(page.read_text())


def test_hostile_xml_in_a_subprocess(hostile_files: dict[str, Path], net: Listener,
                                     tmp_path: Path) -> None:
    """The real command, all hostile files at once: one line per refused file."""
    hits = net.hits
    paths = [str(p) for p in hostile_files.values()]
    for args in (["validate", *paths], ["render", *paths, "--to", "html", "--out", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-m", "edition.cli", *args], capture_output=True,
                              text=True, timeout=120, cwd=ROOT)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and not _leaks(done.stdout + done.stderr)
        for case in HOSTILE_XML:
            errors = [line for line in done.stderr.splitlines()
                      if line.startswith(f"error: {hostile_files[case.name]}:")]
            assert len(errors) == (case.words is not None), (case.name, errors)
    assert net.hits == hits
    assert not any(_leaks(p.read_text()) for p in tmp_path.rglob("*") if p.is_file())


# ------------------------------------------------- XSLT access control ---

EVIL_STYLESHEETS = {
    "document-local-file": '<out><xsl:copy-of select="document(\'file://{secret}\')"/></out>',
    "document-network": '<out><xsl:copy-of select="document(\'{url}\')"/></out>',
    "unparsed-relative-file": '<out><xsl:copy-of select="document(\'../secret.xml\')"/></out>',
    "exslt-write-file": ('<out><exsl:document href="{written}" method="text">pwned'
                         "</exsl:document></out>"),
}


@pytest.mark.parametrize("name", list(EVIL_STYLESHEETS))
def test_xslt_runs_with_access_control(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       net: Listener, secret_file: Path) -> None:
    """The stylesheets run without file or network access: a stylesheet
    (standing in for any path a TEI file could steer it into) cannot read
    or write a file or fetch a URL."""
    folder = tmp_path / "xslt"
    folder.mkdir()
    (tmp_path / "secret.xml").write_text(f"<s>{SECRET}</s>")
    written = tmp_path / "written.txt"
    body = EVIL_STYLESHEETS[name].format(secret=secret_file, url=net.url("x.xml"),
                                         written=written)
    (folder / "html.xsl").write_text(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:exsl="http://exslt.org/common" extension-element-prefixes="exsl">'
        f'<xsl:template match="/">{body}</xsl:template></xsl:stylesheet>'
    )
    source = tmp_path / "doc.xml"
    source.write_text(tei("<p>x</p>"))
    monkeypatch.setattr(render, "XSLT_DIR", folder)
    render.stylesheet.cache_clear()
    hits = net.hits
    try:
        with time_limit(TIME_LIMIT), contextlib.suppress(EditionError):
            html = render.render_file(source, "html")
            assert SECRET not in html and "pwned" not in html
    finally:
        render.stylesheet.cache_clear()
    assert not written.exists()
    assert net.hits == hits


# ---------------------------------------------------------- safe HTML ---

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRS = ("href", "src", "action", "formaction", "srcset", "poster", "background", "data",
             "xlink:href", "cite", "longdesc", "manifest")


def _browser_url(value: str) -> str:
    """A URL as a browser reads its scheme: leading/trailing C0 and spaces
    stripped, tabs and line breaks removed, lower case."""
    return re.sub(r"[\t\n\r]", "", value.strip("\x00- ")).lower()


def _own_script(script: lxml.html.HtmlElement) -> bool:
    """The site's own scripts: a file of the site (a relative path), or an
    inert JSON data block."""
    src, kind = script.get("src"), script.get("type", "")
    if src is not None:
        local = re.fullmatch(r"[\w/.-]+\.js", src) is not None and ".." not in src
        return local and not (script.text or "").strip()
    if kind == "application/json":
        json.loads(script.text or "null")
        return "</" not in (script.text or "")
    return False


def assert_safe_html(html: str) -> None:
    """No script but the site's own, no event handlers, no script URLs,
    no active embedded content."""
    doc = lxml.html.document_fromstring(html)
    assert all(_own_script(s) for s in doc.iter("script")), "a foreign <script>"
    assert not doc.xpath("//iframe | //object | //embed | //base")
    for el in doc.iter():
        if not isinstance(el.tag, str):  # comments and processing instructions
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            assert name.lower() not in ("style", "srcdoc"), (el.tag, name, value)
            if name.lower() in URL_ATTRS or (el.tag == "meta" and name == "content"):
                assert not _browser_url(value).startswith(DANGEROUS_SCHEMES), (el.tag, value)


def test_script_injection_through_tei_is_neutralised(tmp_path: Path) -> None:
    source = HOSTILE / "inject.xml"
    result = run_cli(["render", str(source), "--to", "html", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "inject.html").read_text()
    assert_safe_html(html)
    doc = lxml.html.document_fromstring(html)
    text = doc.text_content()
    # the text is shown as text, not dropped
    assert "<script>alert(6)</script>" in text and "<img src=x onerror=alert(8)>" in text
    assert "<script>alert(9)</script>" in text
    links = doc.xpath("//a/@href")
    assert "https://example.org/ok?a=1&b=2" in links and "#p1" in links
    for label in ("t1", "t2", "t7", "t11", "t12", "t13", "t14", "Person", "Place"):
        assert not doc.xpath(f"//a[normalize-space(.) = '{label}']"), label


def test_script_injection_through_metadata_into_the_site(tmp_path: Path) -> None:
    """A sidecar with markup in its title, publisher and URL: every page of the
    built site stays safe (exercises the site templates as well)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("edition.toml", "register.xml", "redactions.tsv"):
        shutil.copy(SEEDS / name, seeds / name)
    (seeds / "evil.txt").write_text(
        "Memorandum <script>alert(1)</script>\n\nKim Il Sung met Shtykov on 12 June 1950 "
        'in Pyongyang. "><img src=x onerror=alert(2)> [javascript:alert(3)]\n', encoding="utf-8")
    (seeds / "evil.toml").write_text(
        'title = "</title><script>alert(4)</script>"\n'
        "publisher = \"Evil' onmouseover='alert(5)\"\n"
        'url = "javascript:alert(6)"\nauthor = "<b onclick=alert(7)>x</b>"\n', encoding="utf-8")
    out = tmp_path / "out"
    with time_limit(120):
        done = subprocess.run([sys.executable, "-m", "edition.cli", "build", "--seeds", str(seeds),
                               "--out", str(out), "--jobs", "1"], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
    assert "Traceback" not in done.stderr, done.stderr
    pages = sorted((out / "html").glob("*.html"))
    assert len(pages) >= 2, done.stdout + done.stderr
    for page in pages:
        assert_safe_html(page.read_text())
    for script in (out / "html").glob("*.js"):  # generated data: `name = <JSON>;` only
        match = re.fullmatch(r"window\.\w+ = (.*?);?\s*", script.read_text(), re.S)
        assert match, script.name
        json.loads(match[1])


# ------------------------------------------------ bad input to convert ---


@dataclass(frozen=True)
class BadInput:
    """A named source file for ``edition convert``: ``data`` (bytes of
    ``<stem>.txt``), optional sidecar; ``words`` None means it must convert."""

    name: str
    data: bytes
    words: str | None = None
    line: int | None = None
    sidecar: str | None = None
    in_sidecar: bool = False


GOOD_TEXT = "Kim Il Sung met Shtykov in Pyongyang on 12 June 1950.\nThe reply came.\n"
SHORT = "Kim Il Sung to Stalin, Pyongyang.\n"

BAD_INPUTS = [
    BadInput("empty-file", b"", "the file is empty", 1),
    BadInput("whitespace-only", b" \n\t\n", "the file is empty", 1),
    BadInput("binary-nul", bytes(range(256)) * 8, "binary file", 1),
    BadInput("binary-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary file", 1),
    BadInput("latin-1", ("Line one\nKim Il Sung, caf\u00e9\n").encode("latin-1"),
             r"not UTF-8 \(byte 0xe9\).*iconv", 2),
    BadInput("windows-1252", "a\nb\nHe said \u201cno\u201d \u2013 Kim\n".encode("cp1252"),
             r"not UTF-8 \(byte 0x93\).*iconv", 3),
    BadInput("shift-jis", "\u91d1\u65e5\u6210 \u5e73\u58cc 1950\n".encode("shift_jis"),
             r"not UTF-8.*shift_jis", 1),
    BadInput("utf-16-without-bom", GOOD_TEXT.encode("utf-16-le"), "UTF-16 without", 1),
    BadInput("broken-utf-16-after-bom", b"\xff\xfe" + "ab\ncd".encode("utf-16-le") + b"\x00\xd8",
             "invalid utf-16-le after the byte-order mark", 2),
    BadInput("control-character", b"ok\nfine\n\x1b[31mred\n", "U\\+001B", 3),
    BadInput("utf-8-with-bom", b"\xef\xbb\xbf" + GOOD_TEXT.encode()),
    BadInput("utf-16-le-with-bom", b"\xff\xfe" + GOOD_TEXT.encode("utf-16-le")),
    BadInput("utf-16-be-with-bom", b"\xfe\xff" + GOOD_TEXT.encode("utf-16-be")),
    BadInput("crlf-line-ends", GOOD_TEXT.replace("\n", "\r\n").encode()),
    BadInput("malformed-sidecar", SHORT.encode(), "bad metadata file", 2,
             'title = "ok"\nid = "unclosed\n', True),
    BadInput("sidecar-id-not-ncname", SHORT.encode(), "not a valid xml:id", 2,
             'title = "ok"\nid = "1950 telegram"\n', True),
    BadInput("sidecar-id-with-colon", SHORT.encode(), "not a valid xml:id", 1,
             'id = "tei:x"\n', True),
    BadInput("sidecar-id-path", SHORT.encode(), "not a valid xml:id", 1,
             'id = "../../etc/x"\n', True),
    BadInput("sidecar-unknown-kind", SHORT.encode(), "unknown kind 'poetry'", 2,
             'title = "x"\nkind = "poetry"\n', True),
    BadInput("sidecar-list-for-title", SHORT.encode(), "title must be a single value", 1,
             'title = ["a", "b"]\n', True),
    BadInput("sidecar-conventions-not-a-table", SHORT.encode(), "conventions must be a table",
             1, 'conventions = "dmy"\n', True),
    BadInput("sidecar-not-utf-8", SHORT.encode(), "bad metadata file", 1,
             "title = \"caf\xe9\"\n", True),
]


def _write_case(case: BadInput, folder: Path) -> tuple[Path, Path]:
    source = folder / f"{case.name}.txt"
    source.write_bytes(case.data)
    side = source.with_suffix(".toml")
    if case.sidecar is not None:
        side.write_bytes(case.sidecar.encode("latin-1" if "not-utf-8" in case.name else "utf-8"))
    return source, side


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.name)
def test_bad_input_to_convert(case: BadInput, tmp_path: Path) -> None:
    source, side = _write_case(case, tmp_path)
    out = tmp_path / "out"
    result = run_cli(["convert", str(source), "--out", str(out)])
    assert_no_traceback(result)
    if case.words is None:
        assert result.exit_code == 0, result.output
        xml = (out / f"{case.name}.xml").read_text(encoding="utf-8")
        assert "Kim Il Sung" in xml and "\ufeff" not in xml
        return
    assert_one_line_error(result, side if case.in_sidecar else source, case.words)
    if case.line is not None:
        assert ERROR_LINE.match(result.stderr.strip())["line"] == str(case.line)
    assert not out.exists() or not any(out.iterdir()), "no output for refused input"


# Read but not guessed: reported as warnings naming file and line, not encoded.
UNREADABLE = {
    "day-31-of-june": ("Sent on 31 June 1950 by courier.", "31 June 1950", "date"),
    "month-45": ("Telegram of 13/45/50 received.", "13/45/50", "date"),
    "february-30": ("Meeting of 30 February 1951.", "30 February 1951", "date"),
    "roman-month-13": ("Dated 1.XIII.50 in the header.", "1.XIII.50", "date"),
    "archive-without-delo": ("APRF, fond 45, opis 1, listy 3-4.", "fond 45, opis 1", "bibl"),
    "archive-cut-off-opis": ("See fond 45, opis and the rest.", "fond 45", "bibl"),
    "archive-abbreviated-no-delo": ("Cited as f. 45, op. 1, d.; ll. 2.", "f. 45, op. 1", "bibl"),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_unreadable_dates_and_references_are_reported_not_guessed(name: str,
                                                                  tmp_path: Path) -> None:
    sentence, expression, tag = UNREADABLE[name]
    source = tmp_path / f"{name}.txt"
    source.write_text(f"A note.\n\n{sentence}\n", encoding="utf-8")
    result = run_cli(["convert", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if expression in line]
    assert warnings and warnings[0].startswith(f"{source}:3: warning:"), result.stderr
    xml = (tmp_path / "out" / f"{name}.xml").read_text()
    body = xml[xml.index("<text"):]
    if tag == "date":
        assert "<date" not in body
    else:
        assert 'type="archival"' not in body and "<idno" not in body


def test_unknown_profile_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(SHORT)
    result = run_cli(["convert", str(source), "--out", str(tmp_path / "o"), "--profile", "nope"])
    assert_no_traceback(result)
    assert result.exit_code == 1 and "unknown profile 'nope'" in result.stderr
    assert str(source) in result.stderr and not (tmp_path / "o").exists()


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(GOOD_TEXT)
    bad.write_bytes(b"\xff\x00\xff")
    result = run_cli(["convert", str(bad), str(good), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["good.xml"]


def test_output_stays_inside_the_output_folder(tmp_path: Path) -> None:
    """File stems made of dots cannot address a file outside ``--out``."""
    folder = tmp_path / "in"
    folder.mkdir()
    tricky = folder / "..txt"
    tricky.write_text(SHORT)
    out = tmp_path / "deep" / "out"
    result = run_cli(["convert", str(tricky), "--out", str(out)])
    assert result.exit_code == 0, result.output
    made = [p for p in tmp_path.rglob("*.xml")]
    assert made and all(p.resolve().parent == out.resolve() for p in made)


def test_out_is_an_existing_file(tmp_path: Path) -> None:
    source, target = tmp_path / "a.txt", tmp_path / "afile"
    source.write_text(SHORT)
    target.write_text("keep me")
    result = run_cli(["convert", str(source), "--out", str(target)])
    assert_no_traceback(result)
    assert result.exit_code == 2 and target.read_text() == "keep me"


def test_out_below_a_file_is_a_clear_error(tmp_path: Path) -> None:
    source, blocker = tmp_path / "a.txt", tmp_path / "afile"
    source.write_text(SHORT)
    blocker.write_text("x")
    result = run_cli(["convert", str(source), "--out", str(blocker / "sub")])
    assert_no_traceback(result)
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_colliding_output_names_are_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc.txt").write_text(f"Text from {folder}.\n")
    out = tmp_path / "out"
    result = run_cli(["convert", str(tmp_path / "a" / "doc.txt"), str(tmp_path / "b" / "doc.txt"),
                      "--out", str(out)])
    assert result.exit_code == 1 and "doc.xml" in result.stderr


def test_colliding_ids_in_a_build_are_refused(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("edition.toml", "register.xml", "redactions.tsv"):
        shutil.copy(SEEDS / name, seeds / name)
    for stem in ("one", "two"):
        (seeds / f"{stem}.txt").write_text(f"Text {stem}: Kim Il Sung in Pyongyang.\n")
        (seeds / f"{stem}.toml").write_text('id = "same-id"\ntitle = "Same"\n')
    done = subprocess.run([sys.executable, "-m", "edition.cli", "build", "--seeds", str(seeds),
                           "--out", str(tmp_path / "out"), "--jobs", "1"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stdout
    assert "same-id" in done.stdout + done.stderr
    assert not (tmp_path / "out" / "tei").exists()


def test_tei_without_header(tmp_path: Path) -> None:
    source = tmp_path / "bare.xml"
    source.write_text(f'<TEI xmlns="{TEI_NS}">\n<text><body><p>Only text.</p></body></text>'
                      "</TEI>\n")
    result = run_cli(["validate", str(source)])
    assert_no_traceback(result)
    assert result.exit_code == 1 and f"{source}:2: error: tei_all" in result.stderr
    result = run_cli(["render", str(source), "--to", "html", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "Only text." in (tmp_path / "o" / "bare.html").read_text()


@pytest.mark.parametrize("command", ["convert", "validate", "render"])
def test_directory_given_as_a_file(command: str, tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    extra = ["--to", "txt"] if command == "render" else []
    out = [] if command == "validate" else ["--out", str(tmp_path / "o")]
    result = run_cli([command, str(folder), *extra, *out])
    assert_no_traceback(result)
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_file_that_vanishes_before_it_is_read(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "gone.txt"
    source.write_text(SHORT)
    real = convert_module.read_text

    def vanish(path: Path) -> str:
        Path(path).unlink()
        return real(path)

    monkeypatch.setattr(convert_module, "read_text", vanish)
    result = run_cli(["convert", str(source), "--out", str(tmp_path / "o")])
    assert_one_line_error(result, source, "cannot read file")


def test_xml_that_vanishes_before_it_is_validated(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import validate as validate_module

    source = tmp_path / "gone.xml"
    source.write_text(tei("<p>x</p>"))
    real = validate_module.parse

    def vanish(path: Path):
        Path(path).unlink()
        return real(path)

    monkeypatch.setattr(validate_module, "parse", vanish)
    result = run_cli(["validate", str(source)])
    assert_one_line_error(result, source, "cannot read file")


def test_render_refuses_to_overwrite_a_source_text(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    source = seeds / "doc.txt"
    source.write_text("Kim Il Sung in Pyongyang.\n")
    (seeds / "doc.toml").write_text('id = "doc"\ntitle = "Doc"\n')
    tei = tmp_path / "doc.xml"
    assert run_cli(["convert", str(source), "--out", str(tmp_path)]).exit_code == 0
    result = run_cli(["render", str(tei), "--to", "txt", "--out", str(seeds)])
    assert_no_traceback(result)
    assert result.exit_code == 1 and "source text" in result.stderr
    assert source.read_text() == "Kim Il Sung in Pyongyang.\n"
    # an ordinary earlier output is replaced as before
    assert run_cli(["render", str(tei), "--to", "txt", "--out", str(tmp_path)]).exit_code == 0
    assert run_cli(["render", str(tei), "--to", "txt", "--out", str(tmp_path)]).exit_code == 0


def test_convert_refuses_to_overwrite_its_own_input(tmp_path: Path) -> None:
    source = tmp_path / "notes.xml"  # a plain text that happens to end in .xml
    source.write_text("Kim Il Sung in Pyongyang.\n")
    result = run_cli(["convert", str(source), "--out", str(tmp_path)])
    assert_no_traceback(result)
    assert result.exit_code == 1 and "input" in result.stderr
    assert source.read_text() == "Kim Il Sung in Pyongyang.\n"


def test_render_refuses_to_overwrite_the_text_the_tei_encodes(tmp_path: Path) -> None:
    """No sidecar: `convert doc.txt` then `render doc.xml --to txt` in one folder."""
    source = tmp_path / "doc.txt"
    source.write_text("Kim Il Sung in Pyongyang on 9 October 1950.\n")
    assert run_cli(["convert", str(source), "--out", str(tmp_path)]).exit_code == 0
    result = run_cli(["render", str(tmp_path / "doc.xml"), "--to", "txt", "--out", str(tmp_path)])
    assert_no_traceback(result)
    assert result.exit_code == 1 and "source text that doc.xml encodes" in result.stderr
    assert source.read_text() == "Kim Il Sung in Pyongyang on 9 October 1950.\n"
