"""Production refuses weak or missing secrets; development makes its own; keys for prod."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aid import create_app
from aid.security.crypto import new_key
from config import ProductionConfig


def production(tmp_path, **env: str) -> ProductionConfig:
    return ProductionConfig({"AID_INSTANCE_PATH": str(tmp_path), "AID_SMS_BACKEND": "twilio",
                             "AID_DATABASE_URL": f"sqlite:///{tmp_path}/p.db", **env})


def test_production_refuses_to_start_without_keys(tmp_path):
    with pytest.raises(SystemExit, match="AID_SECRET_KEY, AID_DATA_KEYS, AID_INDEX_KEY"):
        create_app(production(tmp_path))


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(SystemExit, match="at least 32"):
        create_app(production(tmp_path, AID_SECRET_KEY="you-will-never-guess",
                              AID_DATA_KEYS=new_key(), AID_INDEX_KEY=new_key()))


def test_production_refuses_a_malformed_data_key(tmp_path):
    with pytest.raises(SystemExit, match="AID_DATA_KEYS"):
        create_app(production(tmp_path, AID_SECRET_KEY="x" * 40, AID_DATA_KEYS="short",
                              AID_INDEX_KEY=new_key()))


def test_production_starts_with_generated_keys(tmp_path, runner):
    result = runner.invoke(args=["keys", "generate"])
    env = dict(line.split("=", 1) for line in result.output.strip().splitlines())
    assert set(env) == {"AID_SECRET_KEY", "AID_DATA_KEYS", "AID_INDEX_KEY"}
    app = create_app(production(tmp_path, **env))
    assert app.config["SECRET_KEY"] == env["AID_SECRET_KEY"]
    assert app.config["SESSION_COOKIE_NAME"] == "aid"  # http public URL: no __Host- cookie


def test_development_generates_keys_once_into_the_instance_folder(tmp_path):
    from config import DevelopmentConfig

    cfg = {"AID_INSTANCE_PATH": str(tmp_path), "AID_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}
    first = create_app(DevelopmentConfig(cfg))
    second = create_app(DevelopmentConfig(cfg))
    assert first.config["DATA_KEYS"] == second.config["DATA_KEYS"]
    keyfile = tmp_path / "dev-keys.json"
    assert keyfile.exists() and oct(keyfile.stat().st_mode & 0o777) == "0o600"


def test_readme_documents_every_setting():
    root = Path(__file__).resolve().parents[2]
    settings = set(re.findall(r"AID_[A-Z_]+", (root / "config.py").read_text()))
    documented = set(re.findall(r"AID_[A-Z_]+", (root / "README.md").read_text()))
    missing = settings - documented
    assert not missing, f"add to README's configuration table: {missing}"
