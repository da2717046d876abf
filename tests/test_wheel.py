"""An installed wheel (not the checkout) classifies with the trained model, not the keyword fallback."""

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_wheel_installed_outside_the_repo_uses_the_model(tmp_path):
    wheels = tmp_path / "wheels"
    # setuptools builds in <checkout>/build/ and packs whatever is there: a build dir of its own, so files
    # left from an older tree (a module since moved out of the package) cannot ride along.
    build_cfg = tmp_path / "build.cfg"
    build_cfg.write_text(f"[build]\nbuild_base = {tmp_path / 'build'}\n", encoding="utf-8")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "DIST_EXTRA_CONFIG": str(build_cfg)})
    assert build.returncode == 0, build.stderr[-2000:]
    [wheel] = wheels.glob("linktriage-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "helper/_models/pipeline/meta.json" in names
    # What builds and measures the helper stays in the checkout: no tests, benchmark or model scripts.
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "helper/benchmarks/")) or n.endswith("/conftest.py")]
    assert not [n for n in names if n.startswith("helper/_models/") and n.endswith(".py")]

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The new venv borrows the dependencies (spaCy & co.) from this one instead of downloading them;
    # a plain path entry, so this venv's editable hook for the checkout is not loaded.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]

    where = subprocess.run([str(python), "-c", "import helper, helper.config as c; print(helper.__file__); "
                            "print(c.DEFAULT_MODEL_DIR)"], capture_output=True, text=True, cwd=tmp_path, check=True)
    package_file, model_dir = where.stdout.split()
    assert str(REPO) not in package_file and str(REPO) not in model_dir  # really the installed copy

    lines = "\n".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False)
                      for i, t in enumerate(["这件外套求链接", "今天天气真好"]))
    env = {k: v for k, v in os.environ.items() if k not in ("LINKTRIAGE_MODEL_DIR",)}
    env["LINKTRIAGE_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run([str(env_dir / "bin" / "linktriage"), "classify"], input=lines, capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "keyword baseline" not in out.stderr
    verdicts = [json.loads(line) for line in out.stdout.splitlines()]
    assert [v["is_request"] for v in verdicts] == [True, False]
    assert 0.0 < verdicts[1]["score"] < 0.5  # a model's probability, not the keyword fallback's 0/1
