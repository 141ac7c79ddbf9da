"""The import-circle check `make lint` runs: the real tree passes, and a planted circle or
private import is caught."""

from __future__ import annotations

from pathlib import Path

from tests import import_circles


def test_aid_has_no_module_circle_nor_private_import_across_packages():
    found = import_circles.analyse()
    assert found["module_circles"] == []
    assert found["package_circles"] == []
    assert found["private_imports"] == []
    assert found["uncommented_imports_in_functions"] == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "aid" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_planted_circle_and_private_import_are_reported(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "one/__init__.py": "from aid.one import a\n",
        "one/a.py": "from aid.one import b\n",
        "one/b.py": "def f():\n    from aid.one.a import x\n",
        "two/__init__.py": "",
        "two/c.py": "from aid.one.a import _secret\nfrom aid.one import b\nb._hidden\n",
        "three/__init__.py": "",
        "three/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from aid.one.a import y\n",
    })
    found = import_circles.analyse(root)
    assert found["module_circles"] == ["aid.one.a -> aid.one.b -> aid.one.a"]
    assert found["private_imports"] == ["aid.two.c:1 imports aid.one.a._secret",
                                        "aid.two.c:3 reads aid.one.b._hidden"]
    assert found["imports_in_functions"] == ["aid.one.b:2"]
    assert found["package_circles"] == []  # three only imports for type checking
    assert found["uncommented_imports_in_functions"] == ["aid.one.b:2"]


def test_a_circle_between_packages_fails(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "one/__init__.py": "", "one/a.py": "from aid.two import c\n",
        "two/__init__.py": "", "two/c.py": "import aid.one.b\n",
        "one/b.py": "",
    })
    assert import_circles.analyse(root)["package_circles"] == [
        "aid.one -> aid.two -> aid.one"]
    assert import_circles.main([]) == 0  # the real tree, which has none


def test_an_import_inside_a_function_passes_only_with_a_comment_saying_why(tmp_path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "one/__init__.py": "", "one/a.py": "",
        "one/b.py": (
            "def bare():\n    x = 1\n    from aid.one import a\n"              # 3: no reason
            "def above():\n    # loaded only when asked for\n    from aid.one import a\n"
            "    from aid.one.a import y\n"                                    # 7: same comment
            "def inline():\n    from aid.one import a  # why, on its line\n"
            "def after():\n    from aid.one import a\n    # a comment below says nothing\n"
            "def text():\n    s = '# not a comment'\n    from aid.one import a\n"),
    })
    found = import_circles.analyse(root)
    assert found["uncommented_imports_in_functions"] == ["aid.one.b:3", "aid.one.b:11",
                                                         "aid.one.b:15"]
    assert len(found["imports_in_functions"]) == 6
