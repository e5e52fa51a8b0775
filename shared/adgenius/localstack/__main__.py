"""`python -m adgenius.localstack`: start everything, print READY and the URLs, run until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from adgenius.localstack.errors import StackError
from adgenius.localstack.stack import LocalStack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--port", type=int, default=None, help="functions host port (default: free)"
    )
    args = parser.parse_args()

    stack = LocalStack(functions_port=args.port)
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        # The first SIGINT or SIGTERM stops the stack; later ones (nox sends SIGTERM 0.3 s after
        # Ctrl-C, users press it twice) are ignored so they cannot cut the stop short.
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    # Set SIGINT too: a shell starts background jobs with SIGINT ignored, and Python keeps that.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        info = stack.start()
    except StackError as exc:
        sys.exit(f"error: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)
    print(f"READY in {stack.started_in_s:.1f}s", flush=True)
    print(f"  web app        {info.web_url}")
    print(f"  API            {info.api_base_url}/v1")
    print(f"  functions      {info.functions_base_url}/<function>")
    print(f"  firestore      {info.firestore_emulator}")
    print(f"  pubsub         {info.pubsub_emulator}")
    print(f"  auth           {info.auth_emulator}")
    print(f"  storage        {info.storage_emulator}")
    print(f"  tasks          {info.tasks_emulator}")
    print(f"  logs           {info.log_dir}")
    print(f"  stack file     {stack.stack_file}", flush=True)
    try:
        while True:
            time.sleep(1.0)
            if dead := stack.crashed():
                print(
                    f"error: {', '.join(dead)} stopped unexpectedly; see {info.log_dir}", flush=True
                )
                break
    except KeyboardInterrupt:
        pass
    finally:
        stopping = True
        print("stopping ...", flush=True)
        stack.stop()
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
