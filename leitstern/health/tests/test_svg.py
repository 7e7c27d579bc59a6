"""The domain-free sparkline helper in leitstern/lib/svg.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leitstern.lib.svg import LinearScale, sparkline


def test_values_span_the_box_larger_values_higher() -> None:
    line = sparkline([0, 5, 10], width=100, height=50, padding=0)
    assert line.coords == ((0.0, 50.0), (50.0, 25.0), (100.0, 0.0))
    assert line.points == "0,50 50,25 100,0"
    assert line.view_box == "0 0 100 50"
    assert line.last == (100.0, 0.0)


def test_padding_keeps_the_line_inside_the_box() -> None:
    line = sparkline([1, 3], width=20, height=10, padding=2)
    assert line.points == "2,8 18,2"


def test_flat_and_single_values_sit_in_the_middle() -> None:
    assert sparkline([4, 4, 4], width=10, height=10, padding=0).points == "0,5 5,5 10,5"
    assert sparkline([7], width=10, height=10, padding=0).points == "5,5"


def test_no_values_no_points() -> None:
    line = sparkline([], width=10, height=10)
    assert line.points == "" and line.last is None


def test_decimals_floats_and_negative_values() -> None:
    line = sparkline([Decimal("-1.5"), 0.5, 2], width=35, height=35, padding=0)
    assert line.coords[0] == (0.0, 35.0) and line.coords[-1] == (35.0, 0.0)
    assert "," in line.points and "E" not in line.points


def test_xs_place_values_and_must_match() -> None:
    line = sparkline([1, 2, 3], xs=[0, 1, 10], width=100, height=10, padding=0)
    assert [x for x, _y in line.coords] == [0.0, 10.0, 100.0]
    with pytest.raises(ValueError):
        sparkline([1, 2], xs=[1], width=10, height=10)


def test_include_widens_the_domain_and_bands_follow_it() -> None:
    line = sparkline([2, 3], width=10, height=100, padding=0, include=(0, None, 10))
    assert line.coords == ((0.0, 80.0), (10.0, 70.0))
    assert line.band(2, 4) == (60.0, 20.0)
    assert line.band(None, 5) == (50.0, 50.0)  # open at the bottom
    assert line.band(5, None) == (0.0, 50.0)  # open at the top
    assert line.band(-50, 50) == (0.0, 100.0)  # clipped to the box


def test_linear_scale_maps_and_handles_a_flat_domain() -> None:
    assert LinearScale(0, 10, 0, 100)(2.5) == 25.0
    assert LinearScale(3, 3, 0, 100)(3) == 50.0
