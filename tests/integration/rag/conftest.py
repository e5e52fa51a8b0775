from __future__ import annotations

import pytest

from adgenius.localstack.stack import StackInfo
from adgenius.localstack.workspace import Workspace, create_workspace


@pytest.fixture(scope="module")
def workspace(stack: StackInfo) -> Workspace:
    return create_workspace(stack)
