"""Settings: arguments, then LINDRA_* variables, then the LINDRA_CONFIG file, then defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from lindra.config import Settings, load_settings
from lindra.errors import ConfigError


@pytest.fixture(autouse=True)
def no_lindra_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LINDRA_DB", "LINDRA_DENSE", "LINDRA_TOP_K", "LINDRA_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def test_a_variable_fills_a_setting_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDRA_DENSE", "false")
    monkeypatch.setenv("LINDRA_TOP_K", "25")
    settings = Settings(db="kb.sqlite")
    assert (settings.db, settings.dense, settings.top_k) == ("kb.sqlite", False, 25)


def test_an_argument_beats_a_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDRA_DB", "from-variable.sqlite")
    assert Settings(db="given.sqlite").db == "given.sqlite"
    assert Settings().db == "from-variable.sqlite"


def test_a_variable_is_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("lindra_top_k", "7")
    assert Settings(db="kb.sqlite").top_k == 7


def test_the_config_file_gives_way_to_variables_and_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "lindra.toml"
    config.write_text('db = "file.sqlite"\ntop_k = 30\ndense = false\n', encoding="utf-8")
    monkeypatch.setenv("LINDRA_CONFIG", str(config))
    monkeypatch.setenv("LINDRA_TOP_K", "40")
    settings = load_settings(db="option.sqlite", dense=None)
    assert (settings.db, settings.top_k, settings.dense) == ("option.sqlite", 40, False)


def test_a_bad_variable_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINDRA_TOP_K", "many")
    with pytest.raises(ConfigError, match="top_k"):
        load_settings()


def test_an_unknown_setting_in_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "lindra.toml"
    config.write_text("topk = 30\n", encoding="utf-8")
    monkeypatch.setenv("LINDRA_CONFIG", str(config))
    with pytest.raises(ConfigError, match="topk"):
        load_settings()


def test_a_broken_config_file_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "lindra.toml"
    config.write_text("top_k = = 3\n", encoding="utf-8")
    monkeypatch.setenv("LINDRA_CONFIG", str(config))
    with pytest.raises(ConfigError, match="lindra.toml"):
        load_settings()


def test_settings_round_trip_through_json(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(db="kb.sqlite", dense=False)
    monkeypatch.setenv("LINDRA_DENSE", "true")  # given values are kept, not re-read
    assert Settings.model_validate_json(settings.model_dump_json()) == settings
