"""The content loader reads data files beside the YAML for a model, and only inside its folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationInfo, model_validator

from engine.content import ContentError, load_content_dir, load_content_file, read_beside


class Note(BaseModel):
    file: str
    size: int = 0

    @model_validator(mode="after")
    def _read(self, info: ValidationInfo) -> Note:
        try:
            self.size = len(read_beside(info, self.file))
        except OSError as error:
            raise ValueError(str(error)) from None
        return self


class Folder(BaseModel):
    note: Note


def test_a_model_reads_a_file_beside_its_yaml(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"12345")
    (tmp_path / "note.yaml").write_text("file: data.bin\n", encoding="utf-8")
    assert load_content_file(tmp_path / "note.yaml", Note, root=tmp_path).size == 5
    assert load_content_dir(tmp_path, Folder, root=tmp_path).note.size == 5


@pytest.mark.parametrize("name", ["../secret.txt", "/etc/passwd", "missing.bin", "sub"])
def test_nothing_outside_the_folder_or_not_a_file_is_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    folder = tmp_path / "game"
    (folder / "sub").mkdir(parents=True)
    (folder / "note.yaml").write_text(f"file: {name}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_file(folder / "note.yaml", Note, root=tmp_path)
    assert "note.yaml" in str(caught.value)


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    folder = tmp_path / "game"
    folder.mkdir()
    (folder / "link.bin").symlink_to(tmp_path / "secret.txt")
    (folder / "note.yaml").write_text("file: link.bin\n", encoding="utf-8")
    with pytest.raises(ContentError, match="outside"):
        load_content_file(folder / "note.yaml", Note, root=tmp_path)


def test_outside_the_loader_nothing_is_read() -> None:
    with pytest.raises(ValueError, match="content loader"):
        Note.model_validate({"file": "data.bin"})
