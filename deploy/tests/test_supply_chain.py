"""What `make setup` and `make test-deploy` install is pinned to exact, checked bytes (item 7 of the hosting review).

These read the committed files: a loosened pin, a missing hash or an `npm install` creeping back fails here.
"""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def requirement_blocks(text):
    """Each requirement with its continuation lines, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_every_python_package_is_pinned_with_a_hash():
    blocks = requirement_blocks((REPO / "deploy" / "requirements.txt").read_text())
    assert len(blocks) > 20  # the dependencies are listed too, not only the five direct ones
    names = set()
    for block in blocks:
        assert re.match(r"^[A-Za-z0-9_.-]+==[^\s;]+", block), block
        assert re.search(r"--hash=sha256:[0-9a-f]{64}", block), block
        names.add(block.split("==")[0].lower())
    assert {"awscli", "boto3", "moto", "cfn-lint", "pytest", "botocore", "flask"} <= names
    direct = (REPO / "deploy" / "requirements.in").read_text()
    for line in requirement_blocks(direct):
        name, version = re.sub(r"\[.*\]", "", line).split("==")
        assert any(b.lower().startswith(f"{name.lower()}=={version} ") for b in blocks), line


def test_the_venv_installs_with_require_hashes():
    makefile = (REPO / "Makefile").read_text()
    install = [l for l in makefile.splitlines() if "pip install" in l]
    assert install and all("--require-hashes" in l and "-r deploy/requirements.txt" in l for l in install)


def test_build_npm_tools_come_from_the_committed_lockfile():
    folder = REPO / "tools" / "npm-tools"
    package = json.loads((folder / "package.json").read_text())
    assert package["dependencies"] == {"binaryen": "132.0.0", "terser": "5.36.0"}
    lock = json.loads((folder / "package-lock.json").read_text())
    packages = {k: v for k, v in lock["packages"].items() if k}
    assert packages["node_modules/binaryen"]["version"] == "132.0.0"
    assert packages["node_modules/terser"]["version"] == "5.36.0"
    for name, entry in packages.items():
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", entry.get("integrity", "")), name
    setup = (REPO / "tools" / "setup.sh").read_text()
    assert "npm ci --prefix .tools --ignore-scripts" in setup
    assert "npm install" not in setup


def test_cargo_installs_are_pinned_and_locked():
    setup = (REPO / "tools" / "setup.sh").read_text()
    makefile = (REPO / "Makefile").read_text()
    installs = [
        l.strip()
        for l in (setup + makefile).splitlines()
        if re.search(r"^\s*(\|\|\s*)?cargo install", l)
    ]
    assert installs
    for line in installs:
        assert "--version" in line, line
        # wasm-bindgen-cli is the one exception, explained in setup.sh: its lockfile names a crate the registry lacks.
        assert "--locked" in line or "wasm-bindgen-cli" in line, line
    assert re.search(r"^CARGO_FUZZ_VERSION := \d+\.\d+\.\d+$", makefile, re.M)
    for line in makefile.splitlines():
        if re.match(r"\t(?!@echo).*\bcargo (test|clippy|run|build)\b", line):
            assert "$(LOCKED)" in line or "--locked" in line, line
