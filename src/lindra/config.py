"""Settings: the only code in lindra that reads environment variables or config files.

Every setting can come from an environment variable with the ``LINDRA_`` prefix
(``LINDRA_DB``, ``LINDRA_TOP_K``, ``LINDRA_API_TOKEN`` ...) or from a TOML file
named by ``LINDRA_CONFIG``. Entry points call :func:`load_settings` once and pass
the result down; tests build ``Settings(...)`` directly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lindra.errors import ConfigError

__all__ = ["Settings", "default_db_path", "load_settings"]


def default_db_path() -> str:
    """The SQLite file used when no ``--db`` or ``LINDRA_DB`` is given."""
    return str(Path(platformdirs.user_data_dir("lindra")) / "lindra.sqlite")


ENV_PREFIX = "LINDRA_"


def _variables() -> dict[str, str]:
    """The ``LINDRA_*`` environment variables by setting name, casefolded (any case)."""
    prefix = ENV_PREFIX.casefold()
    return {
        name.casefold().removeprefix(prefix): value
        for name, value in os.environ.items()
        if name.casefold().startswith(prefix)
    }


class Settings(BaseModel):
    """All of lindra's configuration in one validated object. A setting not given
    is read from its ``LINDRA_*`` variable (any case), else its default."""

    model_config = ConfigDict(extra="forbid")

    db: str = Field(default_factory=default_db_path, description="SQLite path or postgresql:// URL")
    top_k: int = Field(default=10, ge=1, le=1000)
    max_file_bytes: int = Field(default=20_000_000, ge=1, description="largest input file accepted")
    max_query_chars: int = Field(default=1000, ge=10)
    document_seconds: float = Field(
        default=300.0,
        gt=0,
        description="time budget to analyse one document; a document that needs more is "
        "reported as too complex and not written",
    )
    any_language: bool = Field(default=False, description="ingest non-Swedish text too")
    follow_symlinks: bool = Field(
        default=False, description="read symbolic links in a folder that point outside it"
    )
    log_queries: bool = Field(
        default=False,
        description="write questions, query strings and client addresses to the server log "
        "(off by default: health questions are sensitive personal data)",
    )
    thesaurus: str | None = Field(
        default=None, description="extra thesaurus TSV merged over the packaged one"
    )
    answer_threshold: float | None = Field(
        default=None,
        description="minimum relevance (0..1) for ask to report an answer; "
        "default: a model trained on real lay questions decides (with embeddings), "
        "or the calibrated bar (lexical search only)",
    )
    api_token: str | None = Field(
        default=None, description="bearer token that enables write endpoints"
    )
    dense: bool = Field(default=True, description="hybrid ranking with passage embeddings")
    dense_weight: float = Field(default=0.6, ge=0.0, le=1.0, description="share of dense score")
    treatment_tagger: bool = Field(
        default=True,
        description="find treatments no word list holds with the packaged tagger at ingest "
        "(off: about a third less time per document, lower treatment recall; documents "
        "are rebuilt when it is switched)",
    )
    cache_dir: str = Field(
        default_factory=lambda: platformdirs.user_cache_dir("lindra"),
        description="where computed passage embeddings are cached",
    )
    log_level: str = "WARNING"

    @model_validator(mode="before")
    @classmethod
    def _fill_from_environment(cls, given: Any) -> Any:
        # By hand rather than with pydantic-settings, whose import alone cost every
        # one-off command 0.13 s; pydantic still parses the strings ("false", "20").
        if not isinstance(given, dict):
            return given
        variables = _variables()
        found = {
            field: variables[field]
            for field in cls.model_fields
            if field not in given and field in variables
        }
        return {**found, **given}

    @field_validator("db")
    @classmethod
    def _db_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("db must be a SQLite file path or a postgresql:// URL")
        return value

    @property
    def is_postgres(self) -> bool:
        return self.db.startswith(("postgresql://", "postgres://"))


def load_settings(**overrides: Any) -> Settings:
    """Read ``LINDRA_CONFIG`` (TOML), then ``LINDRA_*`` variables, then *overrides*.

    Overrides whose value is ``None`` are ignored, so CLI options that were not
    given leave the configured value alone.

    :raises ConfigError: when the config file is unreadable or a value is invalid.
    """
    values: dict[str, Any] = {}
    config_path = os.environ.get("LINDRA_CONFIG")
    if config_path:
        import tomllib  # only with a config file: a one-off command starts sooner

        try:
            with open(config_path, "rb") as handle:
                values.update(tomllib.load(handle))
        except OSError as exc:
            raise ConfigError(f"Cannot read config file '{config_path}': {exc.strerror}.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Config file '{config_path}' is not valid TOML: {exc}.") from exc
    # Arguments beat environment variables, so pass only the file values that no
    # LINDRA_* variable overrides.
    variables = _variables()
    init = {key: value for key, value in values.items() if key.casefold() not in variables}
    init.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return Settings(**init)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(
            f"Invalid setting ({problems}). Check LINDRA_* variables, LINDRA_CONFIG and options."
        ) from exc
