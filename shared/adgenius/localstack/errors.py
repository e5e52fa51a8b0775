class StackError(RuntimeError):
    """A component is missing, could not start, or died. The message says which and what to do."""
