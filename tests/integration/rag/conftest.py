from __future__ import annotations

import os
import tempfile

import pytest

from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace

# The embedded vector store (qdrant-edge) has ONE owner process: the functions host, which opens
# it at `<ADGENIUS_DATA_DIR>/vectors`. The stack does not pass its data dir to the host, so every
# stack on this machine would share the repository's `.data/vectors` and all but one would fail
# with StoreLockedError. Give this session's stack a private one (the host inherits os.environ;
# conftest modules are imported before the session's stack starts).
os.environ.setdefault("ADGENIUS_DATA_DIR", tempfile.mkdtemp(prefix="adgenius-rag-"))


@pytest.fixture(scope="module")
def workspace(stack: StackInfo) -> Workspace:
    return create_workspace(stack)
