"""Coastlines: TopoJSON decoding, clipping to a map's box, path data."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from edition import geo


def inside(point: tuple[float, float], rings: Sequence[Sequence[tuple[float, float]]]) -> bool:
    """Even-odd rule over all rings (land polygons do not overlap)."""
    x, y = point
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


@pytest.mark.parametrize("detail", ["fine", "coarse"])
@pytest.mark.parametrize(("lon", "lat", "land"), [
    (126.98, 37.57, True),    # Seoul
    (125.75, 39.03, True),    # Pyongyang
    (116.40, 39.90, True),    # Beijing
    (133.0, 39.0, False),     # Sea of Japan
    (124.0, 36.0, False),     # Yellow Sea
    (-30.0, 40.0, False),     # Atlantic
])
def test_decoded_land_is_where_it_should_be(detail: str, lon: float, lat: float,
                                            land: bool) -> None:
    assert inside((lon, lat), geo.land_rings(detail)) is land


def test_clip_keeps_the_part_in_the_box() -> None:
    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = geo.clip(square, (2.0, 5.0, -1.0, 4.0))  # south, north, west, east
    assert sorted(set(clipped)) == [(0.0, 2.0), (0.0, 5.0), (4.0, 2.0), (4.0, 5.0)]
    assert geo.clip(square, (20.0, 30.0, 20.0, 30.0)) == []


def test_clip_of_a_concave_ring_keeps_both_arms() -> None:
    u_shape = [(0.0, 0.0), (3.0, 0.0), (3.0, 10.0), (2.0, 10.0), (2.0, 1.0), (1.0, 1.0),
               (1.0, 10.0), (0.0, 10.0)]
    clipped = geo.clip(u_shape, (5.0, 6.0, -1.0, 4.0))
    assert inside((0.5, 5.5), [clipped]) and inside((2.5, 5.5), [clipped])
    assert not inside((1.5, 5.5), [clipped])


def test_land_path_is_projected_and_bounded() -> None:
    box = (33.0, 45.0, 120.0, 135.0)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round((lon - 120) / 15 * 760, 1), round((45 - lat) / 12 * 600, 1)

    path = geo.land_path(box, project)
    assert path.startswith("M") and path.endswith("Z")
    numbers = [float(v) for part in path.replace("M", " ").replace("L", " ").replace("Z", " ")
               .split() for v in part.split(",")]
    assert min(numbers) >= 0 and max(numbers[0::2]) <= 760 and max(numbers[1::2]) <= 600
    assert geo.land_path((20.0, 25.0, -45.0, -40.0), project) == ""  # open Atlantic


def test_map_land_is_kept_and_read_back(tmp_path, monkeypatch) -> None:
    """The path data of a map is drawn once, kept in the cache folder and read
    back; another box or size is another entry; a cache that cannot be
    written only costs time."""
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    box = (33.0, 45.0, 120.0, 135.0)
    drawn = geo.land_path(box, lambda lat, lon: geo.project(box, 760, 600, lat, lon))
    assert geo.map_land(box, 760, 600) == drawn
    kept = list((tmp_path / "cache" / "maps").iterdir())
    assert len(kept) == 1
    kept[0].write_text("M0,0L1,1L1,0Z", encoding="ascii")  # what is kept is what is read
    assert geo.map_land(box, 760, 600) == "M0,0L1,1L1,0Z"
    assert geo.map_land(box, 700, 600) != drawn
    assert len(list((tmp_path / "cache" / "maps").iterdir())) == 2
    monkeypatch.setenv("EDITION_CACHE", str(kept[0]))  # a file: no folder can be made there
    assert geo.map_land(box, 760, 600) == drawn
