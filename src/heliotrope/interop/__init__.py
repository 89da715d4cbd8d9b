"""Interoperability: FHIR R4 in and out (``interop.fhir``) and a CDS Hooks 2.0.1 service
(``interop.cds_hooks``). Interop only converts: results come from ``heliotrope.api.assess``,
the screening plan from ``heliotrope.screening`` and alerts from ``heliotrope.timeline``."""
