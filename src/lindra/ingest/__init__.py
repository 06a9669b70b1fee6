"""ingest stage of lindra."""
