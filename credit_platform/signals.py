"""Receivers for platform-wide events."""
