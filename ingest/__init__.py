"""Text → document records: identifiers, references, tasks, units and deadlines.

Entry points: `ingest.extract.extract_file(path)` and `extract_text(text, file_name)` give the
record of `chidao extract` (conventions.md); `ingest.ids.find_identifiers` reads document ids in
OCR-damaged text; `ingest.references.extract_references` their relations and jurisdictions.
"""
