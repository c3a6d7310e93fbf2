"""Insight: management information and "you said, we did" in numbers (issue 21, ADR 0020)."""
