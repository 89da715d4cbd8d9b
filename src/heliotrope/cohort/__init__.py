"""Cohorts over an OMOP CDM, in SQL, from the same rule definitions (issue 11).

- :mod:`~heliotrope.cohort.compiler`: the kernel's nodes → SQL (sqlglot), three-valued;
- :mod:`~heliotrope.cohort.readers`: criterion items from the CDM tables; concept sets as data
  (:mod:`~heliotrope.cohort.concepts`, ``resources/omop/concept_sets.yaml``);
- :mod:`~heliotrope.cohort.criteria`, :mod:`~heliotrope.cohort.query`: which definitions, and
  the whole query (one row per person and criterion);
- :mod:`~heliotrope.cohort.engines`: DuckDB (default) and Spark (``heliotrope[spark]``);
- :mod:`~heliotrope.cohort.phenotypes`, :mod:`~heliotrope.cohort.crosscheck`: named cohort
  definitions and the OHDSI Circe cross-check;
- :mod:`~heliotrope.cohort.notes`: NOTE → NOTE_NLP with the text reader;
- :mod:`~heliotrope.cohort.convert`, :mod:`~heliotrope.cohort.generate`: records ↔ CDM rows and
  synthetic data.

Criteria classify; they do not diagnose.
"""
