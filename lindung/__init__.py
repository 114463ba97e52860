"""Lindung: social-security protection for vulnerable workers (pekerja rentan)."""

__version__ = "0.1.0"
