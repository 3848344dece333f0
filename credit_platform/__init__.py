"""Shared floor of the platform: policies, calendar, officials, security and primitives every app builds on."""
