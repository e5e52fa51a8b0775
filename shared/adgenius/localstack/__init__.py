"""The local Google stack: every emulator, the functions host, and the wiring between them.

One module serves both `nox -s dev` and the test fixtures, so what developers run is what the tests
exercise. Entry points: `adgenius.localstack.stack.LocalStack` and `python -m adgenius.localstack`.
"""
