"""secondround: second-round job interviews that decide well."""

__version__ = "0.1.0"
