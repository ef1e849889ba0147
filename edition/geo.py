"""Coastlines for the site's maps, drawn from Natural Earth's land polygons.

The polygons come as TopoJSON (``edition/data/``, see its README): quantised,
delta-encoded arcs that polygons share.  :func:`land_rings` decodes them once
per process into rings of ``(lon, lat)``; :func:`land_path` clips the rings to
a map's box (Sutherland-Hodgman against a rectangle: exact for any polygon,
convex or not, and a ring that only touches the box leaves nothing behind)
and projects them into SVG path data, dropping points closer than half a
pixel to the one before.  :func:`map_land` keeps that path data of a map in
the edition's cache folder, named by everything it depends on (this module,
the data, the box and the size), so a build reads it instead of decoding the
data again.  No tiles and no network: the map is part of the page.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from itertools import pairwise
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LAND = {"fine": DATA / "land-50m.json", "coarse": DATA / "land-110m.json"}

Point = tuple[float, float]  # (lon, lat)
Ring = tuple[Point, ...]
Box = tuple[float, float, float, float]  # south, north, west, east


@cache
def land_rings(detail: str = "fine") -> tuple[Ring, ...]:
    """Every ring (outer and holes) of the land polygons, as ``(lon, lat)``."""
    topo = json.loads(LAND[detail].read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo["arcs"], topo.get("transform"))
    rings: list[Ring] = []
    for geometry in _geometries(topo["objects"]["land"]):
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            rings.extend(_ring(arcs, indexes) for indexes in polygon)
    return tuple(rings)


def _geometries(obj: dict) -> Iterable[dict]:
    if obj["type"] == "GeometryCollection":
        for child in obj["geometries"]:
            yield from _geometries(child)
    elif obj["type"] in ("Polygon", "MultiPolygon"):
        yield obj


def _decode_arcs(raw: list[list[list[float]]], transform: dict | None) -> list[list[Point]]:
    """Absolute coordinates of each arc (TopoJSON quantised arcs are deltas)."""
    if not transform:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in raw]
    (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
    decoded = []
    for arc in raw:
        x = y = 0
        points = []
        for step in arc:
            x += step[0]
            y += step[1]
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def _ring(arcs: list[list[Point]], indexes: Sequence[int]) -> Ring:
    """A ring from arc indexes (``~i`` is arc ``i`` reversed); arcs share their ends."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def clip(ring: Sequence[Point], box: Box) -> list[Point]:
    """The part of the polygon ``ring`` inside ``box`` (Sutherland-Hodgman)."""
    south, north, west, east = box
    edges: tuple[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]], ...] = (
        (lambda p: p[0] >= west, lambda a, b: _at_lon(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_lon(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_lat(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_lat(a, b, north)),
    )
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        out: list[Point] = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
        points = out
    return points


def _at_lon(a: Point, b: Point, lon: float) -> Point:
    t = (lon - a[0]) / (b[0] - a[0])
    return lon, a[1] + t * (b[1] - a[1])


def _at_lat(a: Point, b: Point, lat: float) -> Point:
    t = (lat - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), lat


def project(box: Box, width: int, height: int, lat: float, lon: float) -> tuple[float, float]:
    """``(x, y)`` of a point on the equirectangular map of ``box`` drawn
    ``width`` by ``height`` (north up, to a tenth of a pixel)."""
    south, north, west, east = box
    return (round((lon - west) / (east - west) * width, 1),
            round((north - lat) / (north - south) * height, 1))


def map_land(box: Box, width: int, height: int, detail: str = "fine") -> str:
    """:func:`land_path` of the map of ``box`` drawn ``width`` by ``height``
    (:func:`project`), from the cache folder if it was drawn before."""
    from .cache import cache_dir
    from .xmlio import write_atomic

    inputs = repr((box, width, height, detail)).encode()
    key = hashlib.blake2b(_code_and_data(detail) + inputs, digest_size=16).hexdigest()
    cached = cache_dir() / "maps" / f"land-{key}.txt"
    try:
        return cached.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        pass
    data = land_path(box, partial(project, box, width, height), detail)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        write_atomic(cached, data)
    return data


@cache
def _code_and_data(detail: str) -> bytes:
    """A digest of what every map's path data depends on but its box and size."""
    return hashlib.blake2b(Path(__file__).read_bytes() + LAND[detail].read_bytes()).digest()


def land_path(box: Box, project: Callable[[float, float], tuple[float, float]],
              detail: str = "fine") -> str:
    """SVG path data of the land inside ``box``; ``project(lat, lon)`` gives x, y."""
    parts: list[str] = []
    for ring in (copy for shape in land_shapes(detail) for copy in _copies(shape, box)):
        kept: list[tuple[float, float]] = []
        for lon, lat in clip(ring, box):
            x, y = project(lat, lon)
            if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.5:
                kept.append((x, y))
        if len(kept) >= 3:
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in kept) + "Z")
    return "".join(parts)


Shape = tuple[Ring, Box, bool]  # unwrapped ring, its box, whether it was unwrapped


@cache
def land_shapes(detail: str = "fine") -> tuple[Shape, ...]:
    """:func:`land_rings` made continuous in longitude (:func:`_unwrapped`), each
    with its bounding box: worked out once, so a map only touches the rings it shows."""
    shapes = []
    for ring in land_rings(detail):
        unwrapped = _unwrapped(ring)
        lons = [p[0] for p in unwrapped]
        lats = [p[1] for p in unwrapped]
        shapes.append((unwrapped, (min(lats), max(lats), min(lons), max(lons)),
                       unwrapped is not ring))
    return tuple(shapes)


def _copies(shape: Shape, box: Box) -> Iterable[Ring]:
    """The ring, and its copies a turn east or west, that overlap ``box``.

    A ring that crosses the antimeridian (Chukotka, Fiji) jumps from 180° to
    -180° between two points: clipped as it is, it would fill a band across
    the whole map.  Its longitudes are made continuous instead (it then
    reaches past ±180°), and the copy shifted by 360° draws the part on the
    other side.  A ring around a pole (whose longitudes do not come back to
    where they began) is left as it is: its data goes along ±180° itself."""
    ring, (south, north, west, east), unwrapped = shape
    for turn in (0.0, -360.0, 360.0) if unwrapped else (0.0,):
        if _overlaps((south, north, west + turn, east + turn), box):
            yield ring if not turn else tuple((lon + turn, lat) for lon, lat in ring)


def _unwrapped(ring: Ring) -> Ring:
    """The ring with no jump of more than 180° in longitude (the ring itself if
    it has none, or if it goes around a pole)."""
    shift, jumped = 0.0, False
    points = list(ring[:1])
    for (before, _), (lon, lat) in pairwise(ring):
        if abs(lon - before) > 180:
            shift += 360 if before > lon else -360
            jumped = True
        points.append((lon + shift, lat))
    return tuple(points) if jumped and not shift else ring


def _overlaps(bounds: Box, box: Box) -> bool:
    """Whether two boxes (south, north, west, east) overlap."""
    return (bounds[0] <= box[1] and bounds[1] >= box[0]
            and bounds[2] <= box[3] and bounds[3] >= box[2])
