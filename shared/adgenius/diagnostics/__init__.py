"""The diagnostics pipeline: an operator's end-to-end check of the deployed wiring.

HTTP -> Firestore write -> Firestore trigger -> Pub/Sub step -> Cloud Task -> handler that writes
an object to Storage and marks the run done, each hop recording its timing once.
"""
