"""Heliotrope: computable dermatomyositis and cancer-associated myositis reasoning."""

__version__ = "0.1.0"
