"""Where the docs generator reads and writes: `docs/`, `examples/` and `templates/` under the repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smschannel.model.base import ResourceModel


@dataclass(frozen=True)
class Layout:
    """Where the generator reads and writes, under the repository root."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def examples(self) -> Path:
        return self.root / "examples"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def page(self, model: type[ResourceModel]) -> Path:
        return self.docs / "resources" / f"{model.stem()}.md"

    def example(self, model: type[ResourceModel]) -> Path:
        return self.examples / "resources" / model.type_name / "resource.tf"

    def import_example(self, model: type[ResourceModel]) -> Path:
        return self.examples / "resources" / model.type_name / "import.sh"

    def notes(self, model: type[ResourceModel]) -> Path:
        return self.templates / "resources" / f"{model.stem()}.md"

    @property
    def index(self) -> Path:
        return self.docs / "index.md"

    @property
    def provider_example(self) -> Path:
        return self.examples / "provider" / "provider.tf"

    @property
    def index_notes(self) -> Path:
        return self.templates / "index.md"

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def default_root() -> Path:
    """The repository this module lives in (an editable install), else the current directory."""
    here = Path(__file__).resolve().parents[2]
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def read_file(path: Path) -> str | None:
    """The text of a file, or None when there is none."""
    return path.read_text(encoding="utf-8") if path.is_file() else None
