"""The ``heliotrope`` command line: thin commands over the public API."""
