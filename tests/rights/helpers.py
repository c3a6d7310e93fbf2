"""Shared bits for the rights tests."""

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
