"""Heliotrope: computable dermatomyositis and cancer-associated myositis reasoning."""

__version__ = "0.2.0"
