"""Build step that pyproject.toml cannot express: the wheel carries the alembic migrations.

The top-level ``migrations/`` stays their only source; building copies it into the package as
``omnihub/_migrations`` (found there by ``omnihub.db.migrate``). An editable install skips the copy
and reads the checkout's ``migrations/`` directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MIGRATIONS = Path(__file__).parent / "migrations"


class BuildPyWithMigrations(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "omnihub" / "_migrations"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(MIGRATIONS, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


setup(cmdclass={"build_py": BuildPyWithMigrations})
