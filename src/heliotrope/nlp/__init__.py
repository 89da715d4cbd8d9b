"""Clinical text → record facts with spans.

The text layer: :mod:`.ingest` (text, HTML, PDF → one normalised :class:`Document`),
:mod:`.sections` (headings and the scope of their text), :mod:`.sentences` (a rule-based
splitter) and :mod:`.context` (ConText assertions: negated, not performed, uncertain,
hypothetical, historical, family). Every offset refers to ``Document.text``.
"""

from heliotrope.nlp.context import Assertion, ConText, Modifier
from heliotrope.nlp.ingest import MAX_DOCUMENT_BYTES, Document, ingest, ingest_text
from heliotrope.nlp.sections import Section, split_sections
from heliotrope.nlp.sentences import Sentence, split_sentences

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Assertion",
    "ConText",
    "Document",
    "Modifier",
    "Section",
    "Sentence",
    "ingest",
    "ingest_text",
    "split_sections",
    "split_sentences",
]
