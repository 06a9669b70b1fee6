-- lindra knowledge base, SQLite flavour. Keep in step with postgres.sql:
-- the two backends share one contract test.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    id           TEXT PRIMARY KEY,
    source       TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    text         TEXT NOT NULL,
    language     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at  TEXT NOT NULL,
    metadata     TEXT NOT NULL,           -- JSON object
    pipeline     TEXT NOT NULL,           -- lindra pipeline version that built the rows
    title_span   TEXT NOT NULL            -- JSON [start, end] of the title in text, or null
);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source);

CREATE TABLE IF NOT EXISTS sections (
    doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    heading TEXT NOT NULL,
    level   INTEGER NOT NULL,
    path    TEXT NOT NULL,                -- JSON list of headings
    blocks  TEXT NOT NULL,                -- JSON list of [kind, start, end]
    heading_span TEXT NOT NULL,           -- JSON [start, end] of the heading, or null
    PRIMARY KEY (doc_id, ordinal)
);

CREATE TABLE IF NOT EXISTS reader_questions (
    doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text    TEXT NOT NULL,
    start   INTEGER NOT NULL,
    "end"   INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);

CREATE TABLE IF NOT EXISTS passages (
    id      TEXT PRIMARY KEY,
    doc_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    section TEXT NOT NULL,
    path    TEXT NOT NULL,                -- JSON list of headings
    spans   TEXT NOT NULL,                -- JSON list of [start, end]
    text    TEXT NOT NULL,
    terms   TEXT NOT NULL,                -- JSON {field: {term: count}}: the index source
    embedding BLOB                        -- float16 passage vector, or NULL without dense retrieval
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages (doc_id);

CREATE TABLE IF NOT EXISTS treatments (
    doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal   INTEGER NOT NULL,
    concept   TEXT NOT NULL,
    condition TEXT,
    stance    TEXT NOT NULL,
    payload   TEXT NOT NULL,              -- JSON: the evidence entry
    genre     TEXT,                       -- its page's kind ("abstract": research)
    PRIMARY KEY (doc_id, ordinal)
);
CREATE INDEX IF NOT EXISTS treatments_condition ON treatments (condition);
CREATE INDEX IF NOT EXISTS treatments_concept ON treatments (concept);

-- The condition ids of each evidence entry: its own condition ("own" = 1) and the
-- other conditions its page names, so a question naming a condition reads only the
-- entries about it instead of decoding the whole table.
CREATE TABLE IF NOT EXISTS treatment_conditions (
    doc_id       TEXT NOT NULL,
    ordinal      INTEGER NOT NULL,
    condition_id TEXT NOT NULL,
    own          INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ordinal, condition_id),
    FOREIGN KEY (doc_id, ordinal) REFERENCES treatments (doc_id, ordinal) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS treatment_conditions_id ON treatment_conditions (condition_id);
