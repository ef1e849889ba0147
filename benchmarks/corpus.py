"""A synthetic corpus for the benchmarks: N documents varied from the seeds.

Each document takes one of the five seeds as its model (all five kinds, in
turn) and varies it, deterministically from ``--seed``:

* length: a window of its paragraphs (or lines, for texts with few blank
  lines), from a twentieth of the model to twice it (repeating paragraphs);
* names: about a third of the registered person names it uses are replaced,
  half by other registered persons, half by invented names the register does
  not know;
* dates: years shifted by -1, 0 or +1; the day of full dates that are not
  the end of a range redrawn;
* archival units: fond, opis, delo and list numbers are redrawn.

Written as ``NNNNN_<kind>.txt`` with a ``.toml`` sidecar (the model's, with a
new id and title), plus the editorial data (``edition.toml``,
``register.xml``, ``redactions.tsv``) copied from the seeds.

Usage: python benchmarks/corpus.py OUT --n 1000 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EDITORIAL = ("edition.toml", "register.xml", "redactions.tsv")
TEI = "{http://www.tei-c.org/ns/1.0}"
# Factors of the model's length: mostly shorter texts (a telegram, a few pages),
# sometimes the whole model or twice it.
LENGTHS = (0.05, 0.1, 0.1, 0.25, 0.25, 0.5, 1.0, 2.0)
KEEP_HEAD, KEEP_TAIL = 4, 2  # units kept as they are (titles, source lines)

MONTHS = ("January|February|March|April|May|June|July|August|September|October|"
          "November|December")
DAY_MONTH = re.compile(rf"\b([12]?\d|3[01])(\s+(?:{MONTHS}),?\s+19\d\d)\b")
MONTH_DAY = re.compile(rf"\b((?:{MONTHS})\s+)([12]?\d|3[01])(,?\s+19\d\d)\b")
RANGE_WORD = re.compile(r"\b(?:to|till|until|and|through)\s*$|[-–]\s*$"
                        r"|^\s*(?:to|till|until|and|[-–])\b")
YEAR = re.compile(r"\b19(49|5[0-4])\b")
ARCHIVAL = re.compile(r"\b(fond|opis|delo|listy?|f\.|op\.|d\.|ll?\.)(\s?)(\d+)")

FAMILY = ("Kim", "Pak", "Ri", "Choe", "Han", "Wang", "Liu", "Zhang", "Chen", "Sorokin",
          "Belov", "Orlov", "Volkov")
SYLLABLES = ("chol", "song", "il", "min", "hui", "de", "lin", "guo", "ming", "yong", "su",
             "ho", "jun", "tae")
INITIALS = "ABDGIKMNPSV"


@dataclass(frozen=True)
class Model:
    """One seed text and what the generator needs of it."""

    path: Path
    text: str
    sidecar: str

    @cached_property
    def kind(self) -> str:
        found = re.search(r'^kind\s*=\s*"([^"]+)"', self.sidecar, re.M)
        return found.group(1) if found else "plain"

    @cached_property
    def separator(self) -> str:
        """Paragraphs, or lines if the paragraphs are long (2 kB on average)."""
        return "\n\n" if self.text.count("\n\n") >= len(self.text) / 2000 else "\n"


def models(seeds: Path = SEEDS) -> list[Model]:
    return [Model(p, p.read_text(encoding="utf-8"),
                  p.with_suffix(".toml").read_text(encoding="utf-8"))
            for p in sorted(seeds.glob("*.txt"))]


def person_names(register: Path) -> list[str]:
    """Every form of every person's name in the register."""
    tree = etree.parse(str(register))
    return sorted({" ".join(n.itertext()).strip()
                   for n in tree.iter(f"{TEI}persName")
                   if n.getparent() is not None and n.getparent().tag == f"{TEI}person"})


def invented_name(rng: random.Random) -> str:
    """A person's name in one of the corpus's styles, not in the register."""
    family = rng.choice(FAMILY)
    given = rng.choice(SYLLABLES).capitalize()
    style = rng.randrange(3)
    if style == 0:
        return f"{family} {given}-{rng.choice(SYLLABLES)}"
    if style == 1:
        return f"{family} {given}{rng.choice(SYLLABLES)}"
    return f"{rng.choice(INITIALS)}.{rng.choice(INITIALS)}. {family}"


def vary_length(model: Model, rng: random.Random, scale: float = 1.0) -> str:
    units = model.text.split(model.separator)
    head, body, tail = units[:KEEP_HEAD], units[KEEP_HEAD:-KEEP_TAIL], units[-KEEP_TAIL:]
    if len(body) < 2:
        return model.text
    want = max(1, round(len(body) * rng.choice(LENGTHS) * scale))
    start = rng.randrange(len(body))
    window = [body[(start + k) % len(body)] for k in range(want)]
    return model.separator.join(head + window + tail)


def vary_names(text: str, names: list[str], rng: random.Random) -> str:
    used = [n for n in names if len(n) > 3 and re.search(rf"\b{re.escape(n)}\b", text)]
    chosen = [n for n in used if rng.random() < 0.33]
    if not chosen:
        return text
    others = [n for n in names if n not in chosen]
    new = {n: (rng.choice(others) if rng.random() < 0.5 else invented_name(rng))
           for n in chosen}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in
                                           sorted(chosen, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: new[m.group(1)], text)


def vary_dates(text: str, rng: random.Random) -> str:
    """Shift the years; move the day of full dates that are not ends of a range."""
    shift = rng.choice((-1, 0, 1))
    text = YEAR.sub(lambda m: str(1900 + int(m.group(1)) + shift), text)

    def moved(m: re.Match[str], day_group: int) -> str:
        around = text[max(0, m.start() - 12):m.start()] + "|" + text[m.end():m.end() + 12]
        if any(RANGE_WORD.search(part) for part in around.split("|")):
            return m.group(0)
        parts = list(m.groups())
        parts[day_group - 1] = str(rng.randint(1, 28))
        return "".join(parts)

    text = DAY_MONTH.sub(lambda m: moved(m, 1), text)
    return MONTH_DAY.sub(lambda m: moved(m, 2), text)


def vary_archival(text: str, rng: random.Random) -> str:
    def redraw(m: re.Match[str]) -> str:
        digits = len(m.group(3))
        return f"{m.group(1)}{m.group(2)}{rng.randint(10 ** (digits - 1), 10 ** digits - 1)}"

    return ARCHIVAL.sub(redraw, text)


def sidecar(model: Model, text_id: str, number: int) -> str:
    out = re.sub(r'^id\s*=\s*"[^"]*"', f'id = "{text_id}"', model.sidecar, count=1, flags=re.M)
    return re.sub(r'^(title\s*=\s*"[^"]*)"', rf'\1 (synthetic variant {number})"', out,
                  count=1, flags=re.M)


def document(model: Model, names: list[str], rng: random.Random, scale: float = 1.0) -> str:
    text = vary_length(model, rng, scale)
    text = vary_names(text, names, rng)
    text = vary_dates(text, rng)
    return vary_archival(text, rng)


def generate(out: Path, n: int, seed: int = 1, seeds: Path = SEEDS,
             scale: float = 1.0) -> list[Path]:
    """Write ``n`` documents and the editorial data into ``out``; return the texts.
    ``scale`` multiplies every document's length (small corpora for tests)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in EDITORIAL:
        shutil.copyfile(seeds / name, out / name)
    pool = models(seeds)
    names = person_names(seeds / "register.xml")
    written = []
    for i in range(n):
        model = pool[i % len(pool)]
        rng = random.Random(f"{seed}:{i}")
        stem = f"{i:05d}_{model.kind}"
        path = out / f"{stem}.txt"
        path.write_text(document(model, names, rng, scale), encoding="utf-8")
        path.with_suffix(".toml").write_text(
            sidecar(model, f"syn-{model.kind}-{i:05d}", i), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="length factor")
    args = parser.parse_args()
    paths = generate(args.out, args.n, args.seed, scale=args.scale)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {size / 1e6:.2f} MB, in {args.out}/")


if __name__ == "__main__":
    main()
