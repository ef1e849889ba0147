"""The `edition` command end to end: build, convert, validate, render, exit codes."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from edition import convert as convert_module
from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["build", "--seeds", str(SEEDS), "--out", str(out)])
    return result, out


def test_build_writes_every_output_and_exits_0(built):
    result, out = built
    assert result.exit_code == 0, result.output
    assert "all valid, no text lost" in result.output
    texts = sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert len(list((out / "tei").glob("*.xml"))) == len(texts) + 1  # + register.xml
    pages = {p.name for p in (out / "html").glob("*.html")}
    ids = {p.stem for p in (out / "tei").glob("*.xml")} - {"register"}
    assert {f"{i}.html" for i in ids} | {"index.html"} <= pages
    assert len(list((out / "txt").glob("*.txt"))) == len(texts)
    assert "[1/5]" in result.output and "[5/5]" in result.output


def test_build_fails_when_a_converter_loses_a_character(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    real = convert_module.encode

    def lossy(doc, spans, header, standoff):
        tree = real(doc, spans, header, standoff)
        text = tree.getroot().find("{http://www.tei-c.org/ns/1.0}text")
        p = next(e for e in text.iter("{http://www.tei-c.org/ns/1.0}p")
                 if e.text and e.text.strip())
        p.text = p.text.rstrip()[:-1]
        return tree

    monkeypatch.setattr(convert_module, "encode", lossy)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--seeds", str(seeds), "--out", str(out)])
    assert result.exit_code == 1
    assert "source text not preserved" in result.output


def test_convert_any_text_detects_the_profile(tmp_path):
    src = tmp_path / "new telegram.txt"
    src.write_text(
        "Document 3: Ciphered Telegram, Shtykov to Vyshinsky, 12 June 1950\n\n"
        "To Comrade VYSHINSKY.\n\nI met with KIM IL SUNG on 11 June in PYONGYANG.\n\n"
        "SHTYKOV\n\n[Source: AVPRF, fond 059a, opis 5a, delo 3, papka 11, listy 96-97]\n\n"
        "Document 4: Ciphered Telegram, Filippov (Stalin) to Shtykov, 14 June 1950\n\n"
        "Copies: Stalin (2), Molotov\n\nTo Comrade SHTYKOV.\n\n1. We agree.\n\n"
        "FILIPPOV\n\n[Source: APRF, fond 45, opis 1, delo 346, listy 100-101]\n",
        encoding="utf-8",
    )
    out = tmp_path / "tei"
    result = CliRunner().invoke(main, ["convert", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    xml = (out / "new telegram.xml").read_text()
    assert 'type="document"' in xml and 'type="papka"' in xml
    assert "[collection]" in result.output


def test_convert_bad_encoding_is_one_line_error(tmp_path):
    src = tmp_path / "latin.txt"
    src.write_bytes("Kim Il Sung\nPyongyang caf\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["convert", str(src), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "latin.txt:2: not UTF-8" in result.output
    assert "Traceback" not in result.output


def test_unknown_profile_is_an_error(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Some text.\n")
    result = CliRunner().invoke(main, ["convert", str(src), "--out", str(tmp_path),
                                       "--profile", "nonesuch"])
    assert result.exit_code == 1
    assert "unknown profile" in result.output


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["render", "--to", "pdf", "x.xml"])
    assert result.exit_code == 2


def test_validate_reports_broken_file_with_line(built, tmp_path):
    _, out = built
    good = out / "tei" / "wilson-110020.xml"
    lines = good.read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if "<date when=" in line and "<text" not in line)
    lines[i] = lines[i].replace('when="', 'when="1951-02-30x', 1)
    broken = tmp_path / "broken.xml"
    broken.write_text("\n".join(lines))
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"broken.xml:{i + 1}:" in result.output


def test_validate_and_render_our_output(built, tmp_path):
    _, out = built
    files = [str(p) for p in sorted((out / "tei").glob("*.xml")) if p.name != "register.xml"]
    assert CliRunner().invoke(main, ["validate", *files]).exit_code == 0
    result = CliRunner().invoke(main, ["render", files[0], "--to", "txt", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / (Path(files[0]).stem + ".txt")).read_text().strip()


def test_console_script_help():
    result = subprocess.run([sys.executable, "-m", "edition.cli", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("build", "convert", "validate", "render", "candidates", "redactions"):
        assert command in result.stdout


def _command(*args: str, before: str = "pass") -> subprocess.CompletedProcess:
    """Run the console script's function (``edition.cli:run``) in a new process."""
    code = (f"import sys; from edition.cli import run; {before}; "
            f"sys.argv[1:] = {list(args)!r}; run()")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_console_script_is_run():
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "edition"]
    assert script.value == "edition.cli:run"


@pytest.mark.parametrize(("args", "code"), [
    (("--version",), 0),                      # output through a pipe, flushed
    (("validate",), 2),                       # usage error: no file
    (("validate", "no/such/file.xml"), 2),    # click's own check
    (("validate", str(ROOT / "tests" / "data" / "invalid" / "bad-when.xml")), 1),
])
def test_run_ends_with_the_commands_exit_code(args, code):
    done = _command(*args)
    assert done.returncode == code, done.stderr
    if code == 0:
        assert "edition" in done.stdout
    if code == 1:
        assert "bad-when.xml:77: error:" in done.stdout + done.stderr


def test_run_runs_the_exit_handlers_and_flushes(tmp_path):
    """os._exit skips Python's teardown, not what must happen at exit: the
    handlers (temporary folders are removed by one) and buffered output."""
    flag = tmp_path / "handler-ran"
    before = (f"import atexit, pathlib; atexit.register(pathlib.Path({str(flag)!r}).touch); "
              "print('buffered', end='')")
    done = _command("--version", before=before)
    assert done.returncode == 0
    assert flag.exists()
    assert done.stdout.startswith("buffered")


def test_code_is_ruff_clean():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.fail("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_quiet_build_reports_only_problems_and_the_summary(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-q", "--seeds", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0
    assert " ok: " not in result.output
    assert "warning:" in result.output  # the chronology's dates without a year
    assert result.output.strip().splitlines()[-1].startswith("built 5 texts")


def test_header_archival_references_carry_no_indentation(built):
    _, out = built
    from lxml import etree

    tree = etree.parse(str(out / "tei" / "mansourov-1950.xml"))
    refs = tree.findall(".//{http://www.tei-c.org/ns/1.0}listBibl/{http://www.tei-c.org/ns/1.0}bibl")
    assert len(refs) == 11
    for ref in refs:
        assert " ".join("".join(ref.itertext()).split()) == "".join(ref.itertext())


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_multi_file_commands_say_and_write_the_same_with_any_jobs(built, tmp_path):
    """convert, validate and render run a file per worker (--jobs); what they
    write and report, file by file in the order given, is that of one process,
    and a file that fails is reported at its place while the others go on."""
    _, out = built
    texts = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI><unclosed></TEI>")
    teis = [str(p) for p in sorted((out / "tei").glob("*.xml")) if p.name != "register.xml"]
    teis.insert(2, str(bad))
    runs = {}
    for jobs in ("1", "2"):
        folder = tmp_path / f"j{jobs}"
        runs[jobs] = [
            _invoke("convert", *texts, "--out", str(folder / "tei"), "--jobs", jobs),
            _invoke("validate", *teis, "--jobs", jobs),
            _invoke("render", *teis, "--to", "txt", "--out", str(folder / "txt"), "-j", jobs),
        ]
    def said(result, jobs: str) -> tuple:
        folder = str(tmp_path / f"j{jobs}")
        return (result.exit_code, result.stdout.replace(folder, "OUT"),
                result.stderr.replace(folder, "OUT"))

    for one, two in zip(runs["1"], runs["2"], strict=True):
        assert said(one, "1") == said(two, "2")
    convert, validate, render = runs["2"]
    assert convert.exit_code == 0 and validate.exit_code == 1 and render.exit_code == 1
    assert validate.stdout.count(": valid") == len(teis) - 1
    assert "bad.xml" in validate.stderr and "bad.xml" in render.stderr
    rendered = sorted(p.name for p in (tmp_path / "j2" / "txt").iterdir())
    assert len(rendered) == len(teis) - 1  # all but the bad one
    for folder in ("tei", "txt"):
        for path in sorted((tmp_path / "j1" / folder).iterdir()):
            assert (tmp_path / "j2" / folder / path.name).read_bytes() == path.read_bytes()


def test_listing_commands_say_the_same_with_any_jobs(tmp_path):
    """candidates and redactions list what they find file by file, in the order
    given, whatever --jobs; a file that cannot be read ends them with its error."""
    texts = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    for command in (["candidates"], ["redactions"], ["redactions", "--tsv"]):
        one, two = (_invoke(*command, *texts, "--jobs", jobs) for jobs in ("1", "2"))
        assert one.exit_code == two.exit_code == 0
        assert one.stdout == two.stdout and one.stdout.strip()
    assert [line.split(":")[0] for line in one.stdout.splitlines() if ".txt:" in line] == \
        sorted(line.split(":")[0] for line in one.stdout.splitlines() if ".txt:" in line)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 \xff text\n")  # Latin-1, not UTF-8
    result = _invoke("redactions", texts[0], str(bad), "-j", "2")
    assert result.exit_code == 1 and "bad.txt" in result.stderr
    assert result.stdout.startswith(texts[0])  # the files before it were listed


def test_rendered_pages_come_with_their_stylesheet(built, tmp_path):
    """A page rendered alone links assets/edition.css: it is written beside it
    (text alone needs none)."""
    _, out = built
    tei = str(out / "tei" / "wilson-110020.xml")
    assert _invoke("render", tei, "--to", "html", "--out", str(tmp_path / "h")).exit_code == 0
    page = (tmp_path / "h" / "wilson-110020.html").read_text()
    assert 'href="assets/edition.css"' in page
    css = tmp_path / "h" / "assets" / "edition.css"
    assert css.read_bytes() == (ROOT / "edition" / "assets" / "edition.css").read_bytes()
    assert _invoke("render", tei, "--to", "txt", "--out", str(tmp_path / "t")).exit_code == 0
    assert not (tmp_path / "t" / "assets").exists()
