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
    # Files other annotation tools (and claimdesk's own exports) write: corpus/importers.
    ".json": "labelstudio",
    ".ann": "brat",
    ".conll": "conll",
    ".iob": "conll",
    ".iob2": "conll",
    ".bio": "conll",
    ".bioes": "conll",
    ".spacy": "spacy",
    ".parquet": "parquet",
}
# Every --format name: the formats above, and doccano (JSONL read with doccano's labels).
FORMAT_NAMES = tuple(sorted(set(FORMATS.values()) | {"doccano"}))
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
