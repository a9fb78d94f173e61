"""Work done in a process of its own, beside a language build.

A language build hands over what needs only files on disk (the scan of its written pages,
``scan.scan_files``; its search index, ``search.write_index``) so that it runs on the
other core whenever there is one free: the two language builds never end together (at
1,000 sheets one ended 1 to 3 s before the other), and whatever the later one still had
to do one step after the other was the build's last seconds.

A fresh interpreter, not a fork: the build's memory is neither copied nor counted twice.
The function and its arguments go over in a pickle in a private temporary folder made
here, and what it returned or raised comes back the same way; nothing else reads them.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


class ChildError(Exception):
    """The process ended without handing anything back."""


class Child:
    """``function(*args)`` in another process, started at once; ``result`` waits for it
    and returns what it returned, or raises what it raised. ``function`` must be a
    module-level function of an importable module; ``label`` names the work in the
    process list."""

    def __init__(self, function: Callable[..., Any], *args: Any, label: str = "-") -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="factsheet-child-"))
        job, self._result = self._dir / "job.pickle", self._dir / "result.pickle"
        self._process: subprocess.Popen[bytes] | None = None
        try:
            with job.open("wb") as f:
                pickle.dump((function, args), f, protocol=pickle.HIGHEST_PROTOCOL)
            # The package this one was imported from, wherever that is.
            package_root = str(Path(__file__).resolve().parent.parent)
            paths = [package_root, os.environ.get("PYTHONPATH", "")]
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
            self._process = subprocess.Popen(
                [sys.executable, "-m", "generator.child", label, str(job), str(self._result)],
                env=env,
                stdin=subprocess.DEVNULL,
            )
        except BaseException:
            self.close()
            raise

    def result(self) -> Any:
        try:
            if self._process is None:
                raise ChildError("the process was stopped")
            code = self._process.wait()
            self._process = None
            try:
                with self._result.open("rb") as f:
                    returned, value = pickle.load(f)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError) as err:
                raise ChildError(f"the process ended ({code}) with no result") from err
            if not returned:
                raise value
            return value
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process if it still runs; remove what it was given."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None
        shutil.rmtree(self._dir, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    """``python -m generator.child LABEL JOB RESULT``, started by ``Child``."""
    _, job, result = argv
    with open(job, "rb") as f:
        function, args = pickle.load(f)
    outcome: tuple[bool, Any]
    try:
        outcome = (True, function(*args))
    except Exception as err:  # handed back to be raised where it was asked for
        outcome = (False, err)
    with open(result, "wb") as f:
        try:
            pickle.dump(outcome, f, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            f.seek(0)
            f.truncate()
            error = ChildError(f"{type(outcome[1]).__name__}: {outcome[1]}")
            pickle.dump((False, error), f, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    # Run as a script, this file is ``__main__``: what it pickles must be of the module
    # the build imports, ``generator.child``.
    from generator.child import main as _main

    sys.exit(_main(sys.argv[1:]))
