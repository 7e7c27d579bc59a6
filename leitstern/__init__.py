"""Leitstern: team OKRs as a trust architecture."""

__version__ = "0.1.0"
