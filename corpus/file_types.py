"""The article file types claimdesk reads, by extension (no parsing here, so
the command line can list them without loading the readers)."""

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
