"""CDS Hooks 2.0.1 service: ``routes.router`` (discovery and ``patient-view`` services), typed
request/response models with cds-resp-1 … 7, prefetch and ``fhirServer`` fetching, cards."""
