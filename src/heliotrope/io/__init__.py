"""Reading and writing files: case files (YAML/JSON) and atomic output."""

from heliotrope.io.casefile import load_record, parse_record
from heliotrope.io.write import write_atomic

__all__ = ["load_record", "parse_record", "write_atomic"]
