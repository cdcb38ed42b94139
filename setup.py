"""Only the package list lives here (everything else is in pyproject.toml): every package under rag/, ui/
and evals/ is found, so a new subpackage can never be left out of the wheel again, and the repository's
seeds/ and prompts/ ship as package data under rag/shipped/ (found by rag.resources)."""
from setuptools import find_packages, setup

SHIPPED = {"rag.shipped.seeds": "seeds", "rag.shipped.prompts": "prompts"}

setup(
    packages=find_packages(include=["rag", "rag.*", "ui", "ui.*", "evals", "evals.*"]) + list(SHIPPED),
    package_dir=SHIPPED,
    package_data={"rag.question": ["*.tsv"], "evals": ["*.jsonl"], "rag.shipped.seeds": ["*.txt", "*.json"],
                  "rag.shipped.prompts": ["*.md"]},
)
